using NormFree.Notebooks;

namespace NormFree.Tests.Notebooks.Verdicts;

public class ToleranceTests
{
    [Fact]
    public void Absolute_tolerance_bounds_the_difference()
    {
        var tolerance = Tolerance.AbsoluteOf(1e-6);
        Assert.True(tolerance.Allows(1.0000009, 1));
        Assert.False(tolerance.Allows(1.0000011, 1));
        Assert.Equal("|Δ| ≤ 1E-06", tolerance.ToString());
    }

    [Fact]
    public void Relative_tolerance_scales_with_the_expected_value()
    {
        var tolerance = Tolerance.RelativeOf(1e-3);
        Assert.True(tolerance.Allows(1000.9, 1000));
        Assert.False(tolerance.Allows(1.0011, 1));
        Assert.Equal("|Δ| ≤ 0.001·|expected|", tolerance.ToString());
    }

    [Fact]
    public void Nan_is_within_nothing_and_negative_tolerances_are_refused()
    {
        Assert.False(new Tolerance(1, 1).Allows(double.NaN, 0));
        Assert.Throws<ArgumentException>(() => new Tolerance(-1e-6, 0));
    }
}
