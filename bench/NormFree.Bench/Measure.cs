using System.Diagnostics;

namespace NormFree.Bench;

static class Measure
{
    /// <summary>Milliseconds per iteration over <paramref name="iterations"/> back-to-back steps.</summary>
    public static double Run(Action step, int iterations)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++) step();
        return watch.Elapsed.TotalMilliseconds / iterations;
    }

    /// <summary>How many iterations make one measurement of about <paramref name="targetMs"/> (at least one).</summary>
    public static int Calibrate(Action step, double targetMs)
    {
        var iterations = 1;
        while (true)
        {
            var ms = Run(step, iterations) * iterations;
            if (ms >= targetMs / 4 || iterations >= 1 << 24) return Math.Max(1, (int)Math.Round(iterations * targetMs / Math.Max(ms, 1e-3)));
            iterations *= 4;
        }
    }

    public static double Median(List<double> values)
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
}
