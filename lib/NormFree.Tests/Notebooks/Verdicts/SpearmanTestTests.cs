using NormFree.Notebooks;

namespace NormFree.Tests.Notebooks.Verdicts;

/// <summary>Expected values: scipy 1.10, scipy.stats.spearmanr(x, y) (correlation, pvalue).</summary>
public class SpearmanTestTests
{
    static readonly Dictionary<string, (double[] X, double[] Y)> Pairs = new()
    {
        ["no ties"] = ([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]),
        ["ties"] = ([1, 2, 2, 3, 4, 4, 5], [3, 1, 2, 2, 5, 6, 6]),
        ["falling, ties"] = ([0.1, 0.2, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8], [9, 9, 7, 6, 6, 3, 2, 1]),
        ["three pairs"] = ([1, 2, 3], [1, 3, 2]),
        ["many ties"] = ([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8], [2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5]),
    };

    [Theory]
    [InlineData("no ties", 0.7999999999999999, 0.10408803866182788)]
    [InlineData("ties", 0.7222222222222224, 0.0668052267943043)]
    [InlineData("falling, ties", -0.9757754965005869, 3.4896398846122185e-05)]
    [InlineData("three pairs", 0.5, 0.6666666666666667)]
    [InlineData("many ties", 0.1415796863640157, 0.6607268292868229)]
    public void Matches_scipy(string pairs, double rho, double p)
    {
        var (x, y) = Pairs[pairs];
        var test = SpearmanTest.Of(x, y);
        Close.Relative(rho, test.Rho, 1e-12);
        Close.Relative(p, test.P, 1e-9);
        Assert.Equal(x.Length, test.N);
    }

    [Fact]
    public void A_monotone_relation_has_rho_one_and_p_zero()
    {
        var test = SpearmanTest.Of([1, 2, 3, 4, 5, 6], [10, 20, 30, 40, 50, 600]); // scipy: (1.0, 0.0)
        Assert.Equal(1.0, test.Rho);
        Assert.Equal(0.0, test.P);
    }

    [Fact]
    public void Average_ranks_share_tied_positions() =>
        Assert.Equal([3.0, 1.5, 4.0, 1.5], Ranks.Average([5.0, 2.0, 9.0, 2.0])); // scipy.stats.rankdata

    [Fact]
    public void Undefined_inputs_are_refused()
    {
        Assert.Throws<ArgumentException>(() => SpearmanTest.Of([1, 2], [2, 1]));             // n − 2 = 0 degrees of freedom
        Assert.Throws<ArgumentException>(() => SpearmanTest.Of([1, 1, 1], [1, 2, 3]));       // constant: scipy gives nan
        Assert.Throws<ArgumentException>(() => SpearmanTest.Of([1, 2, double.NaN], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => SpearmanTest.Of([1, 2, 3], [1, 2]));
    }
}
