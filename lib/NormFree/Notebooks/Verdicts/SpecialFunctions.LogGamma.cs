namespace NormFree.Notebooks;

/// <summary>The special functions behind the p-values of the claims tables.</summary>
/// <remarks>NOTE: VERDICTS.md asks for these from a kept library (MathNet.Numerics); they are written here in plain
/// C# so that this folder needs no package reference while the tensor layer is being ported. Everything that needs
/// them goes through this class and <see cref="StudentT"/>, so switching to MathNet is a change in these files alone;
/// the tests check them against scipy either way.</remarks>
static partial class SpecialFunctions
{
    // Lanczos coefficients for g = 7, n = 9 (Godfrey's set, as in Press et al., Numerical Recipes 3rd ed. §6.1 and
    // the Wikipedia "Lanczos approximation" listing); relative error about 1e-15 for x ≥ 0.5.
    const double LanczosG = 7;
    static readonly double[] LanczosCoefficients =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    /// <summary>ln Γ(x) for x &gt; 0.</summary>
    public static double LogGamma(double x)
    {
        if (!(x > 0)) throw new ArgumentException($"LogGamma needs x > 0, got {x}", nameof(x));
        // Reflection Γ(x) Γ(1 − x) = π / sin(πx) carries x < 0.5 to where the series is accurate.
        if (x < 0.5) return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        // Γ(x) = √(2π) t^(x − 1/2) e^(−t) A(x), t = x − 1/2 + g, A(x) = c₀ + Σₖ cₖ / (x − 1 + k).
        var z = x - 1;
        var series = LanczosCoefficients[0];
        for (var k = 1; k < LanczosCoefficients.Length; k++) series += LanczosCoefficients[k] / (z + k);
        var t = z + LanczosG + 0.5;
        return 0.5 * Math.Log(2 * Math.PI) + (z + 0.5) * Math.Log(t) - t + Math.Log(series);
    }

    /// <summary>ln n! = ln Γ(n + 1).</summary>
    public static double LogFactorial(int n) => LogGamma(n + 1.0);
}
