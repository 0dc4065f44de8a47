namespace NormFree.Notebooks;

/// <summary>Student's t distribution with ν degrees of freedom (ν may be fractional, as Welch's df is).</summary>
static class StudentT
{
    /// <summary>P(T ≤ t), as scipy.special.stdtr(ν, t).</summary>
    /// <remarks>Abramowitz &amp; Stegun 26.7.1 with 26.5.27: for t ≤ 0, P(T ≤ t) = ½ I_x(ν/2, ½) with
    /// x = ν / (ν + t²); the upper half follows by symmetry. x is small in the far tail, where the continued fraction
    /// is accurate, so tiny p-values keep their relative precision.</remarks>
    public static double Cdf(double t, double degreesOfFreedom)
    {
        if (!(degreesOfFreedom > 0)) throw new ArgumentException($"Student's t needs ν > 0, got {degreesOfFreedom}", nameof(degreesOfFreedom));
        if (double.IsNaN(t)) throw new ArgumentException("Student's t got t = NaN", nameof(t));
        var lowerTail = 0.5 * TwoSidedTail(t, degreesOfFreedom);
        return t <= 0 ? lowerTail : 1 - lowerTail;
    }

    /// <summary>P(|T| ≥ |t|) = I_x(ν/2, ½), x = ν / (ν + t²).</summary>
    public static double TwoSidedTail(double t, double degreesOfFreedom)
    {
        if (double.IsInfinity(t)) return 0;
        return SpecialFunctions.RegularizedIncompleteBeta(degreesOfFreedom / 2, 0.5, degreesOfFreedom / (degreesOfFreedom + t * t));
    }

    /// <summary>The p-value of a t statistic under <paramref name="alternative"/>, as scipy's _ttest_finish.</summary>
    public static double PValue(double t, double degreesOfFreedom, Alternative alternative) => alternative switch
    {
        Alternative.TwoSided => TwoSidedTail(t, degreesOfFreedom),
        Alternative.Less => Cdf(t, degreesOfFreedom),
        Alternative.Greater => Cdf(-t, degreesOfFreedom),
        _ => throw new ArgumentOutOfRangeException(nameof(alternative), alternative, null),
    };
}
