using System.Globalization;

namespace NormFree.Notebooks;

/// <summary>n, mean and sample standard deviation (n − 1 in the denominator, as torch.std and numpy's ddof = 1) of
/// the completed runs of an arm. With one value the std is NaN — missing, never 0 (VERDICTS.md); with none, the
/// mean is NaN too.</summary>
public sealed record Sample(int N, double Mean, double Std)
{
    public static Sample Of(IEnumerable<double> values)
    {
        var v = values.ToArray();
        if (v.Any(x => !double.IsFinite(x))) throw new ArgumentException("a sample holds finite values only (count a diverged run as diverged, not as NaN)", nameof(values));
        if (v.Length == 0) return new(0, double.NaN, double.NaN);
        var mean = v.Average();
        if (v.Length == 1) return new(1, mean, double.NaN);
        // Identical runs (a deterministic arm) have no spread; summing them can round the mean off the value and
        // leave a std of 1e-17 that would pass for real variation.
        if (v.All(x => x == v[0])) return new(v.Length, v[0], 0);
        // Two passes: the sum of squared deviations from the mean, not E[x²] − mean², which cancels badly for
        // accuracies that agree to many digits.
        return new(v.Length, mean, Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)));
    }

    /// <summary>"0.9118 ± 0.00507" (<paramref name="format"/> for both numbers), "0.91 (one run, no std)", or
    /// "no completed run".</summary>
    public string ToString(string format) => N switch
    {
        0 => "no completed run",
        1 => $"{Mean.ToString(format, CultureInfo.InvariantCulture)} (one run, no std)",
        _ => $"{Mean.ToString(format, CultureInfo.InvariantCulture)} ± {Std.ToString(format, CultureInfo.InvariantCulture)}",
    };

    public override string ToString() => ToString("G4");
}
