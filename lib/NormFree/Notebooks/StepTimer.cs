using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace NormFree.Notebooks;

/// <summary>How long a notebook's steps take: wall-clock seconds and the process's CPU seconds (all its threads) for
/// each named step, printed as the step ends and shown together as a table with a total. A notebook sizes its
/// profiles from these numbers; on a shared, loaded machine the wall time overstates what a quiet machine needs,
/// the CPU time much less so.
/// <code>
/// var timer = new StepTimer();
/// using (timer.Step("depth sweep")) { ... }   // prints "[depth sweep] 12.3 s wall, 4.1 s CPU"
/// display(timer);                               // one row per step, then the total
/// </code></summary>
[TypeFormatterSource(typeof(StepTimerFormatterSource), PreferredMimeTypes = ["text/html", "text/plain"])]
public sealed class StepTimer
{
    /// <summary>One finished step.</summary>
    public sealed record Record(string Name, double WallSeconds, double CpuSeconds);

    readonly List<Record> steps = [];
    readonly TextWriter? log;

    /// <param name="log">Where each finished step is reported; null: the console as it is when the step ends (a
    /// notebook kernel redirects the console per cell).</param>
    public StepTimer(TextWriter? log = null) => this.log = log;

    public IReadOnlyList<Record> Steps => steps;

    public double TotalWallSeconds => steps.Sum(s => s.WallSeconds);
    public double TotalCpuSeconds => steps.Sum(s => s.CpuSeconds);

    /// <summary>Starts timing <paramref name="name"/>; disposing the result ends the step, records and prints it.</summary>
    public IDisposable Step(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Running(this, name);
    }

    void Finish(Record record)
    {
        steps.Add(record);
        (log ?? Console.Out).WriteLine($"[{record.Name}] {Seconds(record.WallSeconds)} wall, {Seconds(record.CpuSeconds)} CPU");
    }

    static string Seconds(double s) => s.ToString("F1", CultureInfo.InvariantCulture) + " s";

    static double ProcessCpuSeconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>The steps and their total.</summary>
    public Table ToTable()
    {
        var table = new Table("step", "wall s", "CPU s");
        foreach (var s in steps) table.Add(s.Name, Seconds(s.WallSeconds), Seconds(s.CpuSeconds));
        return table.Add("total", Seconds(TotalWallSeconds), Seconds(TotalCpuSeconds));
    }

    public override string ToString() => ToTable().ToString();

    sealed class Running(StepTimer timer, string name) : IDisposable
    {
        readonly Stopwatch wall = Stopwatch.StartNew();
        readonly double cpuAtStart = ProcessCpuSeconds();
        bool done;

        public void Dispose()
        {
            if (done) return;
            done = true;
            timer.Finish(new Record(name, wall.Elapsed.TotalSeconds, ProcessCpuSeconds() - cpuAtStart));
        }
    }
}

/// <summary>HTML and text for <see cref="StepTimer"/>, through the <see cref="TypeFormatterSourceAttribute"/> convention.</summary>
sealed class StepTimerFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() =>
    [
        new MimeFormatter<StepTimer>("text/html", t => t.ToTable().ToHtml()),
        new MimeFormatter<StepTimer>("text/plain", t => t.ToString()),
    ];
}
