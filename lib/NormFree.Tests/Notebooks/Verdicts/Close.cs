namespace NormFree.Tests.Notebooks.Verdicts;

static class Close
{
    /// <summary>|actual − expected| ≤ relative · |expected| (p-values span many decades, so a fixed number of decimal
    /// places would pass any tiny p).</summary>
    public static void Relative(double expected, double actual, double relative = 1e-9)
    {
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected),
            $"expected {expected:R}, got {actual:R} (relative error {Math.Abs(actual - expected) / Math.Abs(expected):G3} > {relative:G3})");
    }
}
