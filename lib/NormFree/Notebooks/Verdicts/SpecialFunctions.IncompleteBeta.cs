namespace NormFree.Notebooks;

static partial class SpecialFunctions
{
    const int MaxContinuedFractionTerms = 10_000;
    const double ContinuedFractionTolerance = 1e-15;
    const double TinyDenominator = 1e-300; // keeps Lentz's method off a division by zero (NR 3rd ed. §5.2)

    /// <summary>The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), for a, b &gt; 0 and
    /// 0 ≤ x ≤ 1 (scipy.special.betainc).</summary>
    /// <remarks>Press et al., Numerical Recipes 3rd ed. §6.4, eq. 6.4.5–6.4.6:
    /// I_x(a, b) = x^a (1 − x)^b / (a B(a, b)) · 1/(1+ d₁/(1+ d₂/(1+ …))), which converges fast for
    /// x &lt; (a + 1)/(a + b + 2); above that, the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) brings x below it.</remarks>
    public static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (!(a > 0) || !(b > 0)) throw new ArgumentException($"the incomplete beta needs a, b > 0, got a = {a}, b = {b}");
        if (!(x >= 0 && x <= 1)) throw new ArgumentException($"the incomplete beta needs 0 ≤ x ≤ 1, got {x}", nameof(x));
        if (x == 0 || x == 1) return x;
        // x^a (1 − x)^b / B(a, b), in logs: B(a, b) = Γ(a) Γ(b) / Γ(a + b).
        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        return x < (a + 1) / (a + b + 2)
            ? front * BetaContinuedFraction(a, b, x) / a
            : 1 - front * BetaContinuedFraction(b, a, 1 - x) / b;
    }

    /// <summary>The continued fraction of eq. 6.4.5 by the modified Lentz method (NR 3rd ed. §5.2, routine betacf):
    /// d₂ₘ₊₁ = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)), d₂ₘ = m (b − m) x / ((a + 2m − 1)(a + 2m)).</summary>
    static double BetaContinuedFraction(double a, double b, double x)
    {
        var c = 1.0;
        var d = NonZero(1 - (a + b) * x / (a + 1));
        d = 1 / d;
        var fraction = d;
        for (var m = 1; m <= MaxContinuedFractionTerms; m++)
        {
            var even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 / NonZero(1 + even * d);
            c = NonZero(1 + even / c);
            fraction *= d * c;
            var odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            d = 1 / NonZero(1 + odd * d);
            c = NonZero(1 + odd / c);
            var step = d * c;
            fraction *= step;
            if (Math.Abs(step - 1) <= ContinuedFractionTolerance) return fraction;
        }
        throw new ArithmeticException($"the incomplete beta's continued fraction did not converge in {MaxContinuedFractionTerms} terms (a = {a}, b = {b}, x = {x})");
    }

    static double NonZero(double value) => Math.Abs(value) < TinyDenominator ? TinyDenominator : value;
}
