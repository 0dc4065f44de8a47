using NormFree.Analysis;
using NormFree.Torch;

namespace NormFree.Tests.Analysis;

public class DeadUnitsTests
{
    [Fact]
    public void DeadFractionCountsSamplesWithNoActiveUnit()
    {
        // samples 0 and 2 have no unit > 0 (exact zeros and negatives count as dead); samples 1 and 3 have one
        using var h = torch.tensor(new float[] { 0, 0, 0, /**/ 0, 0.5f, 0, /**/ -1, 0, -2, /**/ 3, -1, 0 }, [4, 3]);
        Assert.Equal(0.5, DeadUnits.dead_fraction(h), 12);
        using var maps = torch.zeros([2, 2, 3, 3]);
        Assert.Equal(1.0, DeadUnits.dead_fraction(maps), 12);
        Assert.Throws<ArgumentException>(() => DeadUnits.dead_fraction(torch.zeros([3])));
    }

    [Fact]
    public void ConstantMeansEverySampleGivesTheSameOutput()
    {
        using var row = torch.tensor(new float[] { 0.3f, -1.7f, 5 }, [1, 3]);
        using var same = row.repeat([8, 1]);
        Assert.True(DeadUnits.is_constant(same));
        using var noise = torch.randn([8, 3]);
        using var nudged = same + noise * 1e-3;
        Assert.False(DeadUnits.is_constant(nudged));
        Assert.Throws<ArgumentException>(() => DeadUnits.is_constant(row)); // one sample says nothing
    }
}
