using NormFree.Notebooks;

namespace NormFree.Tests.Notebooks.Verdicts;

/// <summary>Expected values: scipy 1.10, scipy.stats.ttest_ind(a, b, equal_var=False, alternative=...); df by the
/// Welch–Satterthwaite formula in numpy.</summary>
public class WelchTTestTests
{
    static readonly Dictionary<string, (double[] A, double[] B)> Samples = new()
    {
        ["typical"] = ([0.912, 0.905, 0.918, 0.909, 0.915], [0.901, 0.897, 0.905, 0.899]),
        ["extreme"] = ([10.1, 10.2, 9.9, 10.0, 10.05], [1.0, 1.1, 0.9, 1.05, 0.95]),
        ["one arm constant"] = ([0.9, 0.9, 0.9], [0.85, 0.88, 0.86, 0.87]),
        ["unequal n, no difference"] = ([1.0, 2.0, 3.0], [1.5, 2.5, 2.0, 3.5, 0.5, 2.2]),
    };

    [Theory]
    [InlineData("typical", Alternative.TwoSided, 3.9810785406357794, 6.875647129717829, 0.005513909030595899)]
    [InlineData("typical", Alternative.Less, 3.9810785406357794, 6.875647129717829, 0.9972430454847021)]
    [InlineData("typical", Alternative.Greater, 3.9810785406357794, 6.875647129717829, 0.0027569545152979495)]
    [InlineData("extreme", Alternative.TwoSided, 147.78588114791876, 7.200000000000016, 8.371861397304002e-14)]
    [InlineData("extreme", Alternative.Greater, 147.78588114791876, 7.200000000000016, 4.185930698652001e-14)]
    [InlineData("extreme", Alternative.Less, 147.78588114791876, 7.200000000000016, 0.9999999999999581)]
    [InlineData("one arm constant", Alternative.TwoSided, 5.422176684690383, 3.0, 0.012307551821486285)]
    [InlineData("one arm constant", Alternative.Greater, 5.422176684690383, 3.0, 0.006153775910743143)]
    [InlineData("unequal n, no difference", Alternative.TwoSided, -0.04708816093480094, 4.104119838095891, 0.9646456235567638)]
    [InlineData("unequal n, no difference", Alternative.Less, -0.04708816093480094, 4.104119838095891, 0.4823228117783819)]
    [InlineData("unequal n, no difference", Alternative.Greater, -0.04708816093480094, 4.104119838095891, 0.517677188221618)]
    public void Matches_scipy(string sample, Alternative alternative, double t, double df, double p)
    {
        var (a, b) = Samples[sample];
        var test = WelchTTest.Of(a, b, alternative);
        Close.Relative(t, test.T, 1e-9);
        Close.Relative(df, test.DegreesOfFreedom, 1e-9);
        Close.Relative(p, test.P, 1e-8);
    }

    [Fact]
    public void Swapping_the_samples_flips_t_and_keeps_the_two_sided_p()
    {
        var (a, b) = Samples["typical"];
        var (ab, ba) = (WelchTTest.Of(a, b), WelchTTest.Of(b, a));
        Assert.Equal(-ab.T, ba.T, 12);
        Assert.Equal(ab.P, ba.P, 12);
    }

    [Fact]
    public void One_value_in_a_sample_has_no_std_and_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => WelchTTest.Of([0.95], [0.90, 0.91, 0.92]));
        Assert.Contains("at least two values", e.Message);
    }

    [Fact]
    public void Two_constant_samples_are_refused() =>
        Assert.Throws<ArgumentException>(() => WelchTTest.Of([0.9, 0.9, 0.9], [0.8, 0.8, 0.8]));
}
