using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NormFree.Bench;

/// <summary>Milliseconds per iteration: wall clock, and CPU time of the whole process (every thread), which a shared
/// machine's load disturbs much less than the wall clock.</summary>
readonly record struct Timing(double WallMs, double CpuMs);

static partial class Measure
{
    /// <summary>Waits for the device's queued work (torch.cuda.synchronize on a CUDA run; nothing on the CPU), before
    /// a measurement starts and before it ends, so that the clock sees the kernels and not only their launches.</summary>
    public static Action Synchronize { get; set; } = () => { };

    public static Timing Run(Action step, int iterations)
    {
        Synchronize();
        var cpu = ProcessCpuSeconds();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++) step();
        Synchronize();
        return new Timing(watch.Elapsed.TotalMilliseconds / iterations, (ProcessCpuSeconds() - cpu) * 1000 / iterations);
    }

    /// <summary>Runs the step for a second at least: .NET recompiles hot methods optimised (tier 1) only after they
    /// have run a while, and the measurement must see that code, not the first quick compilation.</summary>
    public static void WarmUp(Action step, int iterations)
    {
        var watch = Stopwatch.StartNew();
        do Run(step, iterations); while (watch.ElapsedMilliseconds < 1000);
    }

    /// <summary>How many iterations make one measurement of about <paramref name="targetMs"/> of CPU time (at least
    /// one); CPU time, because a wall-clock calibration on a loaded machine comes out short by however long the
    /// process waited for a core.</summary>
    public static int Calibrate(Action step, double targetMs)
    {
        var iterations = 1;
        while (true)
        {
            var ms = Run(step, iterations).CpuMs * iterations;
            if (ms >= targetMs / 4 || iterations >= 1 << 24) return Math.Max(1, (int)Math.Round(iterations * targetMs / Math.Max(ms, 1e-3)));
            iterations *= 4;
        }
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        var n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>Resident set size of this process (native memory included), from /proc.</summary>
    public static double RssMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        return double.NaN;
    }

    [StructLayout(LayoutKind.Sequential)]
    struct Timespec { public long Seconds, Nanoseconds; }

    const int ClockProcessCpuTime = 2;                    // CLOCK_PROCESS_CPUTIME_ID, what Python's time.process_time reads

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec time);

    static double ProcessCpuSeconds() => ClockGetTime(ClockProcessCpuTime, out var t) == 0 ? t.Seconds + t.Nanoseconds * 1e-9 : double.NaN;
}
