using System.Globalization;

namespace NormFree.Notebooks;

/// <summary>An exact claim (algebra, an invariant, a guarantee), judged against a stated tolerance (VERDICTS.md):
/// reproduced within it, not reproduced outside it, inconclusive when the measurement is missing (NaN).</summary>
public sealed record ToleranceClaim(string Claim, Tolerance Tolerance)
{
    /// <param name="what">what was measured, e.g. "channel mean at init".</param>
    public ClaimRow Judge(string what, double measured, double expected)
    {
        var values = FormattableString.Invariant($"{measured:G6} (expected {expected:G6})");
        if (double.IsNaN(measured)) return new(Claim, what, "", values, Tolerance.ToString(), double.NaN, Verdict.Inconclusive, "no measurement");
        var difference = $"|Δ| = {Math.Abs(measured - expected).ToString("G3", CultureInfo.InvariantCulture)}";
        return Tolerance.Allows(measured, expected)
            ? new(Claim, what, "", values, Tolerance.ToString(), double.NaN, Verdict.Reproduced, difference)
            : new(Claim, what, "", values, Tolerance.ToString(), double.NaN, Verdict.NotReproduced, difference);
    }
}
