using NormFree.Analysis;
using NormFree.Nn;

namespace NormFree.Tests.Analysis;

public class WeightScaleTests
{
    static Sequential HandSetNet()
    {
        var fc = nn.Linear(2, 2, hasBias: false);
        var conv = nn.Conv2d(1, 2, 2, bias: false);
        using (torch.no_grad())
        {
            using var w = torch.tensor(new[] { 3.0f, 4, 0, 1 }, [2, 2]); // rows: norms 5 and 1
            fc.weight.copy_(w);
            using var k = torch.tensor(new[] { 1.0f, 1, 1, 1, 0, 0, 0, 3 }, [2, 1, 2, 2]); // filters: norms 2 and 3
            conv.weight.copy_(k);
        }
        return nn.Sequential(("conv", conv), ("flat", nn.Flatten()), ("fc", fc));
    }

    [Fact]
    public void FilterNormsMatchAHandComputation()
    {
        using var net = HandSetNet();
        var norms = FilterNorms.of(net);
        Assert.Equal(["conv", "fc"], norms.Select(n => n.Name));
        Assert.Equal(new[] { 2.0, 3.0 }, norms[0].Norms);
        Assert.Equal(new[] { 5.0, 1.0 }, norms[1].Norms);
        Assert.Equal(3.0, norms[1].Mean);
        Assert.Equal(1.0, norms[1].Min);
        Assert.Equal(5.0, norms[1].Max);
        Assert.Throws<ArgumentException>(() => FilterNorms.of(torch.ones([3])));
    }

    [Fact]
    public void EffectiveLearningRateIsLrOverTheSquaredWeightNorm()
    {
        using var net = HandSetNet();
        var lrs = EffectiveLearningRate.of(net, 0.1);
        Assert.Equal(13.0, lrs[0].WeightNormSquared, 1e-12); // 2² + 3²
        Assert.Equal(0.1 / 13, lrs[0].EffectiveLr, 1e-12);
        Assert.Equal(26.0, lrs[1].WeightNormSquared, 1e-12); // 5² + 1²
        Assert.Equal(0.1 / 26, lrs[1].EffectiveLr, 1e-12);
        Assert.Throws<ArgumentOutOfRangeException>(() => EffectiveLearningRate.of(net, -1));
    }

    [Fact]
    public void InsideAWeightNormTheDirectionVIsMeasured()
    {
        using var wn = new WeightNorm(nn.Linear(2, 2, hasBias: false), initial_gain: 7);
        using (torch.no_grad())
        {
            using var v = torch.tensor(new[] { 0.0f, 2, 6, 8 }, [2, 2]);
            wn.weight_v.copy_(v);
        }
        using var net = nn.Sequential(("wn", wn));
        var norms = Assert.Single(FilterNorms.of(net));
        Assert.Equal("wn.layer", norms.Name);
        Assert.Equal(new[] { 2.0, 10.0 }, norms.Norms); // ‖V_o‖, not g = 7
        Assert.Equal(0.5 / 104, Assert.Single(EffectiveLearningRate.of(net, 0.5)).EffectiveLr, 1e-12);
    }
}
