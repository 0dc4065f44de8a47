using MathNet.Numerics.Distributions;

namespace NormFree.Notebooks;

/// <summary>Welch's two-sample t-test, which does not assume equal variances (scipy.stats.ttest_ind(a, b,
/// equal_var=False)): the test VERDICTS.md prescribes for means of completed runs.</summary>
/// <remarks>Welch (1947), Biometrika 34:28–35; df by Satterthwaite (1946), Biometrics Bulletin 2:110–114:
/// t = (ā − b̄) / √(s²ₐ/nₐ + s²_b/n_b),
/// ν = (s²ₐ/nₐ + s²_b/n_b)² / ((s²ₐ/nₐ)²/(nₐ − 1) + (s²_b/n_b)²/(n_b − 1)),
/// p from Student's t with ν (fractional) degrees of freedom (MathNet.Numerics' StudentT, which takes ν real).</remarks>
public sealed record WelchTTest(double T, double DegreesOfFreedom, double P, Alternative Alternative)
{
    public static WelchTTest Of(IReadOnlyList<double> a, IReadOnlyList<double> b, Alternative alternative = Alternative.TwoSided)
    {
        var (sa, sb) = (Sample.Of(a), Sample.Of(b));
        // One run has no std, so it cannot be compared "significantly" with anything (VERDICTS.md).
        if (sa.N < 2 || sb.N < 2) throw new ArgumentException($"Welch's t-test needs at least two values per sample, got {sa.N} and {sb.N}");
        var (va, vb) = (sa.Std * sa.Std / sa.N, sb.Std * sb.Std / sb.N); // squared standard errors
        if (va + vb == 0) throw new ArgumentException($"Welch's t is undefined when neither sample varies (both constant: {sa.Mean} and {sb.Mean})");
        var t = (sa.Mean - sb.Mean) / Math.Sqrt(va + vb);
        var df = (va + vb) * (va + vb) / (va * va / (sa.N - 1) + vb * vb / (sb.N - 1));
        return new(t, df, PValue(t, df, alternative), alternative);
    }

    /// <summary>The p-value of a t statistic with ν degrees of freedom under <paramref name="alternative"/>, as
    /// scipy's _ttest_finish. Each is a lower tail P(T ≤ x) (two-sided: twice P(T ≤ −|t|)), never 1 − P, so tiny
    /// p-values keep their relative precision.</summary>
    internal static double PValue(double t, double degreesOfFreedom, Alternative alternative) => alternative switch
    {
        Alternative.TwoSided => 2 * LowerTail(-Math.Abs(t), degreesOfFreedom),
        Alternative.Less => LowerTail(t, degreesOfFreedom),
        Alternative.Greater => LowerTail(-t, degreesOfFreedom),
        _ => throw new ArgumentOutOfRangeException(nameof(alternative), alternative, null),
    };

    /// <summary>P(T ≤ x) for Student's t (location 0, scale 1) with ν degrees of freedom.</summary>
    static double LowerTail(double x, double degreesOfFreedom) => StudentT.CDF(0, 1, degreesOfFreedom, x);
}
