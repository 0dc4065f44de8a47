namespace NormFree.Notebooks;

/// <summary>Spearman's rank correlation ρ with its two-sided p-value, as scipy.stats.spearmanr: the test
/// VERDICTS.md prescribes for orderings over many rows (does our table keep the paper's order?).</summary>
/// <remarks>Spearman (1904), Am. J. Psychol. 15:72–101. ρ is Pearson's correlation of the average ranks (ties share
/// a rank). The p-value uses the t approximation t = ρ √((n − 2) / ((1 + ρ)(1 − ρ))) with n − 2 degrees of freedom
/// (Kendall &amp; Stuart; scipy's formula), two-sided from MathNet.Numerics' Student t, so ρ = ±1 gives p = 0. It is
/// approximate for small n.</remarks>
public sealed record SpearmanTest(double Rho, int N, double P)
{
    public const int MinimumPairs = 3; // n − 2 ≥ 1 degree of freedom

    public static SpearmanTest Of(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"Spearman's ρ needs pairs, got {x.Count} and {y.Count} values");
        if (x.Concat(y).Any(v => !double.IsFinite(v))) throw new ArgumentException("Spearman's ρ needs finite values; leave rows without a value out, and say so");
        if (x.Count < MinimumPairs) throw new ArgumentException($"Spearman's p needs at least {MinimumPairs} pairs, got {x.Count}");
        if (IsConstant(x) || IsConstant(y)) throw new ArgumentException("Spearman's ρ is undefined when one side is constant");
        var rho = Pearson(Ranks.Average(x), Ranks.Average(y));
        var dof = x.Count - 2;
        // Max(0, …) drops the tiny negative values rounding can leave at ρ = ±1, as scipy's clip(0).
        var t = rho * Math.Sqrt(Math.Max(0, dof / ((rho + 1) * (1 - rho))));
        return new(rho, x.Count, WelchTTest.PValue(t, dof, Alternative.TwoSided));
    }

    static bool IsConstant(IReadOnlyList<double> values) => values.All(v => v == values[0]);

    static double Pearson(double[] x, double[] y)
    {
        var (mx, my) = (x.Average(), y.Average());
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        // Rounding can push |ρ| a hair past 1 for identical rankings; ρ is a correlation, so clamp it.
        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }
}
