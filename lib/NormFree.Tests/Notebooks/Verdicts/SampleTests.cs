using NormFree.Notebooks;

namespace NormFree.Tests.Notebooks.Verdicts;

public class SampleTests
{
    [Fact]
    public void Mean_and_sample_std_match_numpy()
    {
        var s = Sample.Of([0.912, 0.905, 0.918, 0.909, 0.915]);
        Assert.Equal(5, s.N);
        Close.Relative(0.9118, s.Mean, 1e-14);              // numpy.mean
        Close.Relative(0.005069516742254635, s.Std, 1e-12); // numpy.std(ddof=1)
        Assert.Equal("0.9118 ± 0.00507", s.ToString());
    }

    [Fact]
    public void One_value_has_a_missing_std_not_zero()
    {
        var s = Sample.Of([0.9]);
        Assert.Equal(0.9, s.Mean);
        Assert.True(double.IsNaN(s.Std));
        Assert.Equal("0.9 (one run, no std)", s.ToString());
    }

    [Fact]
    public void Identical_values_have_exactly_zero_std()
    {
        var s = Sample.Of([0.8, 0.8, 0.8]); // (0.8 + 0.8 + 0.8) / 3 = 0.8000000000000002 in doubles
        Assert.Equal(0.8, s.Mean);
        Assert.Equal(0.0, s.Std);
    }

    [Fact]
    public void No_values_have_no_mean_and_a_nan_is_refused()
    {
        var s = Sample.Of([]);
        Assert.True(double.IsNaN(s.Mean) && double.IsNaN(s.Std));
        Assert.Equal("no completed run", s.ToString());
        Assert.Throws<ArgumentException>(() => Sample.Of([0.9, double.NaN]));
    }
}
