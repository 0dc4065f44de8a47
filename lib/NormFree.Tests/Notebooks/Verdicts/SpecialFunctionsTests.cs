using NormFree.Notebooks;

namespace NormFree.Tests.Notebooks.Verdicts;

/// <summary>The special functions against Debian's scipy 1.10 (python3-scipy).</summary>
public class SpecialFunctionsTests
{
    [Theory] // scipy.special.gammaln(x); 0.25 and 0.001 go through the reflection formula
    [InlineData(0.001, 6.907178885383853)]
    [InlineData(0.25, 1.2880225246980774)]
    [InlineData(0.5, 0.5723649429247)]
    [InlineData(1.0, 0.0)]
    [InlineData(3.7, 1.428072326665388)]
    [InlineData(100.5, 361.43554046777757)]
    [InlineData(10000.0, 82099.71749644238)]
    public void LogGamma_matches_scipy(double x, double expected)
    {
        if (expected == 0) Assert.Equal(0, SpecialFunctions.LogGamma(x), 14);
        else Close.Relative(expected, SpecialFunctions.LogGamma(x), 1e-13);
    }

    [Theory] // scipy.special.betainc(a, b, x)
    [InlineData(0.5, 0.5, 0.3, 0.3690101195655454)]
    [InlineData(2, 3, 0.4, 0.5247999999999999)]
    [InlineData(5, 0.5, 0.999, 0.9222819921009667)]
    [InlineData(10, 20, 0.05, 8.10912187364595e-07)]
    [InlineData(200, 150, 0.6, 0.8601906604801737)]
    [InlineData(0.5, 7.5, 0.9, 0.9999999932897103)]
    public void RegularizedIncompleteBeta_matches_scipy(double a, double b, double x, double expected) =>
        Close.Relative(expected, SpecialFunctions.RegularizedIncompleteBeta(a, b, x), 1e-12);

    [Fact]
    public void Out_of_domain_arguments_are_refused()
    {
        Assert.Throws<ArgumentException>(() => SpecialFunctions.LogGamma(0));
        Assert.Throws<ArgumentException>(() => SpecialFunctions.RegularizedIncompleteBeta(1, 1, 1.5));
        Assert.Throws<ArgumentException>(() => SpecialFunctions.RegularizedIncompleteBeta(0, 1, 0.5));
    }
}
