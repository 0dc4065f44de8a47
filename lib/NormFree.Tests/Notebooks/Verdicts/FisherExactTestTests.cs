using NormFree.Notebooks;

namespace NormFree.Tests.Notebooks.Verdicts;

/// <summary>Expected values: scipy 1.10, scipy.stats.fisher_exact([[a, b], [c, d]], alternative=...).</summary>
public class FisherExactTestTests
{
    [Theory]
    //           a    b    c    d   odds ratio             two-sided               less                    greater
    [InlineData(8, 2, 1, 5, 20.0, 0.034965034965034975, 0.9991258741258742, 0.024475524475524483)]
    [InlineData(0, 5, 5, 0, 0.0, 0.007936507936507938, 0.003968253968253969, 1.0)]
    [InlineData(5, 0, 0, 5, double.PositiveInfinity, 0.007936507936507938, 1.0, 0.003968253968253969)]
    [InlineData(0, 10, 7, 3, 0.0, 0.0030959752321981426, 0.001547987616099071, 1.0)]
    [InlineData(1, 99, 20, 80, 0.04040404040404041, 8.045864254891984e-06, 4.022932127445992e-06, 0.9999998523694632)]
    [InlineData(100, 2, 1, 120, 6000.0, 2.3221614508200677e-60, 1.0, 2.3221614508200677e-60)]
    [InlineData(3, 3, 3, 3, 1.0, 1.0, 0.7164502164502164, 0.7164502164502164)]
    [InlineData(2, 7, 8, 2, 0.07142857142857142, 0.02301413756522116, 0.01852172595206651, 0.9990149169715733)]
    [InlineData(512, 488, 450, 550, 1.2823315118397085, 0.0063197373873796975, 0.9976010913032407, 0.0031598686936898488)]
    [InlineData(0, 5, 1, 4, 0.0, 1.0, 0.49999999999999994, 1.0)]
    public void Matches_scipy(int a, int b, int c, int d, double oddsRatio, double twoSided, double less, double greater)
    {
        var test = FisherExactTest.Of(a, b, c, d);
        if (double.IsFinite(oddsRatio) && oddsRatio != 0) Close.Relative(oddsRatio, test.OddsRatio, 1e-14);
        else Assert.Equal(oddsRatio, test.OddsRatio);
        Close.Relative(twoSided, test.P, 1e-9);
        Close.Relative(less, FisherExactTest.Of(a, b, c, d, Alternative.Less).P, 1e-9);
        Close.Relative(greater, FisherExactTest.Of(a, b, c, d, Alternative.Greater).P, 1e-9);
    }

    [Fact]
    public void An_empty_column_gives_p_one_and_no_odds_ratio()
    {
        var test = FisherExactTest.Of(0, 3, 0, 3); // scipy: (nan, 1.0)
        Assert.Equal(1.0, test.P);
        Assert.True(double.IsNaN(test.OddsRatio));
    }

    [Fact]
    public void Negative_counts_are_refused() => Assert.Throws<ArgumentException>(() => FisherExactTest.Of(1, -1, 2, 3));
}
