namespace NormFree.Notebooks;

/// <summary>Fisher's exact test on a 2×2 table of counts [[a, b], [c, d]] (rows: the two arms; columns: event, no
/// event), as scipy.stats.fisher_exact: the test VERDICTS.md prescribes for rates (failed, diverged, dead).
/// <see cref="OddsRatio"/> is the sample odds ratio ad / (bc), ∞ when bc = 0; NaN and p = 1 when a row or a
/// column is all zeros.</summary>
/// <remarks>Fisher (1922), J. R. Stat. Soc. 85:87–94. With the margins fixed, a follows the hypergeometric
/// distribution P(a = x) = C(r₁, x) C(r₂, c₁ − x) / C(N, c₁) (r: row sums, c₁: first column sum, N: total).
/// Less: P(a ≤ observed); greater: P(a ≥ observed); two-sided: the sum of P(x) over every table no more probable
/// than the observed one, with scipy's relative tolerance 1 + 1e-14 so that ties in floating point count.</remarks>
public sealed record FisherExactTest(double OddsRatio, double P, Alternative Alternative)
{
    const double TieTolerance = 1 + 1e-14; // scipy.stats.fisher_exact, scipy 1.10 `gamma`

    public static FisherExactTest Of(int a, int b, int c, int d, Alternative alternative = Alternative.TwoSided)
    {
        if (a < 0 || b < 0 || c < 0 || d < 0) throw new ArgumentException($"Fisher's exact test needs counts ≥ 0, got [[{a}, {b}], [{c}, {d}]]");
        if (a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0) return new(double.NaN, 1, alternative);
        var oddsRatio = b > 0 && c > 0 ? (double)a * d / ((double)b * c) : double.PositiveInfinity;
        var (row1, row2, column1) = (a + b, c + d, a + c);
        var (lowest, highest) = (Math.Max(0, column1 - row2), Math.Min(row1, column1));
        double Probability(int x) => Math.Exp(LogBinomial(row1, x) + LogBinomial(row2, column1 - x) - LogBinomial(row1 + row2, column1));
        double SumOver(IEnumerable<int> xs) => xs.Sum(Probability);
        var observed = Probability(a);
        var p = alternative switch
        {
            Alternative.Less => SumOver(Enumerable.Range(lowest, a - lowest + 1)),
            Alternative.Greater => SumOver(Enumerable.Range(a, highest - a + 1)),
            Alternative.TwoSided => SumOver(Enumerable.Range(lowest, highest - lowest + 1).Where(x => Probability(x) <= observed * TieTolerance)),
            _ => throw new ArgumentOutOfRangeException(nameof(alternative), alternative, null),
        };
        return new(oddsRatio, Math.Min(p, 1), alternative);
    }

    static double LogBinomial(int n, int k) => SpecialFunctions.LogFactorial(n) - SpecialFunctions.LogFactorial(k) - SpecialFunctions.LogFactorial(n - k);
}
