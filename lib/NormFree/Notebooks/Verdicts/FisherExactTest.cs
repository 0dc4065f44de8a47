using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace NormFree.Notebooks;

/// <summary>Fisher's exact test on a 2×2 table of counts [[a, b], [c, d]] (rows: the two arms; columns: event, no
/// event), as scipy.stats.fisher_exact: the test VERDICTS.md prescribes for rates (failed, diverged, dead).
/// <see cref="OddsRatio"/> is the sample odds ratio ad / (bc), ∞ when bc = 0; NaN and p = 1 when a row or a
/// column is all zeros.</summary>
/// <remarks>Fisher (1922), J. R. Stat. Soc. 85:87–94. With the margins fixed, a follows the hypergeometric
/// distribution P(a = x) = C(r₁, x) C(r₂, c₁ − x) / C(N, c₁) (r: row sums, c₁: first column sum, N: total).
/// Less: P(a ≤ observed); greater: P(a ≥ observed); two-sided: the sum of P(x) over every table no more probable
/// than the observed one, with scipy's relative tolerance 1 + 1e-14 so that ties in floating point count.
/// The distribution is MathNet.Numerics': both one-sided p are its Hypergeometric.CDF, each a lower tail summed term
/// by term (greater as P(b ≤ observed b), b ~ Hypergeometric(N, r₁, c₂), not 1 − P(a &lt; observed), which would
/// lose p-values like 1e-60). The terms of the two-sided sum come from its SpecialFunctions.BinomialLn, as its CDF
/// computes them: its Hypergeometric.PMF multiplies binomials that overflow to ∞ once N nears 1030, giving 0 or NaN
/// (NaN for [[512, 488], [450, 550]]).</remarks>
public sealed record FisherExactTest(double OddsRatio, double P, Alternative Alternative)
{
    const double TieTolerance = 1 + 1e-14; // scipy.stats.fisher_exact, scipy 1.10 `gamma`

    public static FisherExactTest Of(int a, int b, int c, int d, Alternative alternative = Alternative.TwoSided)
    {
        if (a < 0 || b < 0 || c < 0 || d < 0) throw new ArgumentException($"Fisher's exact test needs counts ≥ 0, got [[{a}, {b}], [{c}, {d}]]");
        if (a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0) return new(double.NaN, 1, alternative);
        var oddsRatio = b > 0 && c > 0 ? (double)a * d / ((double)b * c) : double.PositiveInfinity;
        var (row1, row2, column1, column2) = (a + b, c + d, a + c, b + d);
        var total = row1 + row2;
        var (lowest, highest) = (Math.Max(0, column1 - row2), Math.Min(row1, column1));
        var logDenominator = SpecialFunctions.BinomialLn(total, column1);
        double Probability(int x) => Math.Exp(SpecialFunctions.BinomialLn(row1, x) + SpecialFunctions.BinomialLn(row2, column1 - x) - logDenominator);
        var observed = Probability(a);
        var p = alternative switch
        {
            Alternative.Less => Hypergeometric.CDF(total, row1, column1, a),
            Alternative.Greater => Hypergeometric.CDF(total, row1, column2, b),
            Alternative.TwoSided => Enumerable.Range(lowest, highest - lowest + 1).Select(Probability).Where(px => px <= observed * TieTolerance).Sum(),
            _ => throw new ArgumentOutOfRangeException(nameof(alternative), alternative, null),
        };
        return new(oddsRatio, Math.Min(p, 1), alternative);
    }
}
