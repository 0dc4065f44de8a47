using System.Globalization;

namespace NormFree.Notebooks;

/// <summary>A stated numerical tolerance for exact checks (algebra, invariants, guarantees — VERDICTS.md):
/// |measured − expected| ≤ Absolute + Relative · |expected|, numpy.isclose's rule. Write it in the cell that defines
/// the claim, before any run.</summary>
public sealed record Tolerance(double Absolute, double Relative)
{
    public double Absolute { get; } = Absolute >= 0 ? Absolute : throw new ArgumentException($"a tolerance is ≥ 0, got absolute {Absolute}", nameof(Absolute));
    public double Relative { get; } = Relative >= 0 ? Relative : throw new ArgumentException($"a tolerance is ≥ 0, got relative {Relative}", nameof(Relative));

    public static Tolerance AbsoluteOf(double tolerance) => new(tolerance, 0);
    public static Tolerance RelativeOf(double tolerance) => new(0, tolerance);

    /// <summary>Whether <paramref name="measured"/> is within the tolerance of <paramref name="expected"/>; false for
    /// NaN, which is within nothing.</summary>
    public bool Allows(double measured, double expected)
    {
        if (double.IsInfinity(measured) || double.IsInfinity(expected)) return measured == expected;
        return Math.Abs(measured - expected) <= Absolute + Relative * Math.Abs(expected);
    }

    /// <summary>"|Δ| ≤ 1e-06", "|Δ| ≤ 0.001·|expected|" or both joined by " + ".</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Absolute > 0 || Relative == 0) parts.Add(Absolute.ToString("G3", CultureInfo.InvariantCulture));
        if (Relative > 0) parts.Add($"{Relative.ToString("G3", CultureInfo.InvariantCulture)}·|expected|");
        return "|Δ| ≤ " + string.Join(" + ", parts);
    }
}
