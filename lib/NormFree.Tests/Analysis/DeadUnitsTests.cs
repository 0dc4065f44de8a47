using NormFree.Analysis;
using NormFree.Nn;

namespace NormFree.Tests.Analysis;

public class DeadUnitsTests
{
    [Fact]
    public void AUnitIsDeadWhenZeroForEverySample()
    {
        // (B = 3, C = 4): units 1 and 3 are zero everywhere; unit 2 is zero for two of the three samples only.
        using var h = torch.tensor(new[] { 1.0f, 0, 0, 0, 0.5f, 0, 0, 0, 2, 0, 3, 0 }, [3, 4]);
        Assert.Equal(0.5, DeadUnits.fraction(h));
        using var mask = DeadUnits.dead_mask(h);
        Assert.Equal(new[] { false, true, false, true }, mask.data<bool>());
    }

    [Fact]
    public void AChannelIsDeadWhenZeroAtEveryPositionOfEverySample()
    {
        using var h = torch.zeros([2, 3, 4, 4]); // (B, C, H, W)
        using (var c0 = h.select(1, 0)) c0.fill_(1); // channel 0 alive everywhere
        using (var s1 = h[1])
        using (var c1 = s1[2])
        using (var row = c1[3])
        using (var px = row[1])
            px.fill_(0.1); // channel 2: a single positive pixel in sample 1 keeps it alive
        Assert.Equal(1.0 / 3, DeadUnits.fraction(h), 1e-12); // only channel 1 is dead
        Assert.Throws<ArgumentException>(() => DeadUnits.fraction(torch.zeros([5])));
    }

    [Fact]
    public void PerLayerFractionsAfterEachReLU()
    {
        using var fc1 = nn.Linear(2, 4);
        using var fc2 = nn.Linear(4, 2);
        using (torch.no_grad())
        {
            fc1.weight.zero_();
            using var b1 = torch.tensor(new[] { -1.0f, 1, -2, 0.5f });
            fc1.bias!.copy_(b1); // units 0 and 2 negative for every input → dead
            fc2.weight.fill_(1);
            using var b2 = torch.tensor(new[] { -10.0f, 0 });
            fc2.bias!.copy_(b2); // unit 0: 1.5 − 10 < 0 → dead; unit 1: 1.5 → alive
        }
        using var net = nn.Sequential(fc1, nn.ReLU(), fc2, nn.ReLU());
        using var x = torch.randn([16, 2]);
        var layers = DeadUnits.per_layer<ReLU>(net, x);
        Assert.Equal([("1", 0.5), ("3", 0.5)], layers);
    }

    [Fact]
    public void ASampleIsDeadWhenNoUnitIsActiveOnIt()
    {
        // samples 0 and 2 have no unit > 0 (exact zeros and negatives count as dead); samples 1 and 3 have one
        using var h = torch.tensor(new float[] { 0, 0, 0, /**/ 0, 0.5f, 0, /**/ -1, 0, -2, /**/ 3, -1, 0 }, [4, 3]);
        Assert.Equal(0.5, DeadUnits.dead_sample_fraction(h), 1e-12);
        using var maps = torch.zeros([2, 2, 3, 3]);
        Assert.Equal(1.0, DeadUnits.dead_sample_fraction(maps), 1e-12);
        Assert.Throws<ArgumentException>(() => DeadUnits.dead_sample_fraction(torch.zeros([3])));
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

    [Fact]
    public void DeadSampleFractionsPerLayer()
    {
        using var fc1 = nn.Linear(2, 3);
        using var fc2 = nn.Linear(3, 2);
        using (torch.no_grad())
        {
            using var w1 = torch.tensor(new[] { 1.0f, 0, 0, 1, -1, 0 }, [3, 2]);
            fc1.weight.copy_(w1);
            fc1.bias!.zero_(); // on x = (±1, ±1): unit 0 active iff x0 > 0, unit 2 iff x0 < 0 → never all dead
            fc2.weight.fill_(1);
            fc2.bias!.fill_(-100); // 1 + 1 − 100 < 0 for every input → dead on every sample
        }
        using var net = nn.Sequential(fc1, nn.ReLU(), fc2, nn.ReLU());
        using var x = torch.tensor(new[] { 1.0f, 1, -1, 1, 1, -1, -1, -1 }, [4, 2]);
        Assert.Equal([("1", 0.0), ("3", 1.0)], DeadUnits.dead_sample_fractions(net, x, m => m is ReLU));
    }
}
