using NormFree.Analysis;
using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Tests.Analysis;

public class SignalPropagationTests
{
    [Fact]
    public void ForwardStatisticsAndGradientNormsMatchAHandComputation()
    {
        using var fc1 = nn.Linear(3, 4);
        using var fc2 = nn.Linear(4, 2);
        using (torch.no_grad())
        {
            using var w1 = torch.tensor(new[] { 1.0f, 0, -1, 0.5f, 2, 0, -1, -1, -1, 0, 1, 1 }, [4, 3]);
            fc1.weight.copy_(w1);
            fc1.bias!.zero_();
            using var w2 = torch.tensor(new[] { 1.0f, -2, 0, 1, 3, 1, 1, 0 }, [2, 4]);
            fc2.weight.copy_(w2);
            fc2.bias!.fill_(0.5);
        }
        using var net = nn.Sequential(("fc1", fc1), ("relu", nn.ReLU()), ("fc2", fc2));
        using var x = torch.tensor(new[] { 1.0f, 2, 3, -1, 0, 2 }, [2, 3]);
        using var r = torch.tensor(new[] { 1.0f, -1, 2, 0.5f }, [2, 2]);
        var signals = SignalPropagation.collect<ReLU>(net, x, y => (y * r).sum());

        // fc1: x W1ᵀ = [[-2, 4.5, -6, 5], [-3, -0.5, -1, 2]] → h = relu = [[0, 4.5, 0, 5], [0, 0, 0, 2]]
        var s = Assert.Single(signals);
        Assert.Equal("relu", s.Name);
        Assert.Equal(Math.Sqrt(4.5 * 4.5 + 25 + 4), s.Norm, 1e-5);
        // channel means (0, 2.25, 0, 3.5), biased variances (0, 2.25², 0, 1.5²)
        Assert.Equal((2.25 * 2.25 + 3.5 * 3.5) / 4, s.ChannelMeanSquared, 1e-5);
        Assert.Equal((2.25 * 2.25 + 1.5 * 1.5) / 4, s.ChannelVariance, 1e-5);
        // L = Σ r ⊙ (h W2ᵀ + b) → ∂L/∂h = r W2 = [[-2, -3, -1, 1], [3.5, -3.5, 0.5, 2]]
        Assert.Equal(Math.Sqrt(4 + 9 + 1 + 1 + 12.25 + 12.25 + 0.25 + 4), s.GradNorm, 1e-5);
        Assert.All(net.parameters(), p => Assert.Null(p.grad)); // nothing accumulated into .grad
    }

    [Fact]
    public void WithoutALossOnlyTheForwardPassRunsAndTheOrderIsTheForwardOrder()
    {
        using var net = nn.Sequential(nn.Linear(5, 6), nn.ReLU(), nn.Linear(6, 6), nn.ReLU(), nn.Linear(6, 1));
        using var x = torch.randn([8, 5]);
        var signals = SignalPropagation.collect(net, x, m => m is Linear);
        Assert.Equal(["0", "2", "4"], signals.Select(s => s.Name));
        Assert.All(signals, s => Assert.True(double.IsNaN(s.GradNorm)));
        Assert.All(signals, s => Assert.True(s.Norm > 0));
        var e = Assert.Throws<ArgumentException>(() => SignalPropagation.collect<ReLU>(net, x, y => y)); // (8, 1) is not a scalar
        Assert.Contains("[8, 1]", e.Message);
    }

    [Fact]
    public void ResidualBlockStatisticsAgreeWithSignalStatistics()
    {
        torch.manual_seed(3);
        using var net = ResNet.Build(ResNetConfig.ResNet20 with { InChannels = 1 });
        using var x = torch.randn([4, 1, 12, 12]);
        var blocks = SignalStatistics.collect(net, x);
        using var target = torch.tensor(new long[] { 1, 2, 3, 4 });
        var signals = SignalPropagation.collect<ResidualBlock>(net, x, logits => F.cross_entropy(logits, target));
        Assert.Equal(blocks.Select(b => b.Name), signals.Select(s => s.Name));
        for (var i = 0; i < blocks.Count; i++)
        {
            Assert.Equal(blocks[i].ChannelVariance, signals[i].ChannelVariance, 1e-4);
            Assert.Equal(blocks[i].ChannelMeanSquared, signals[i].ChannelMeanSquared, 1e-4);
            Assert.True(signals[i].GradNorm > 0 && double.IsFinite(signals[i].GradNorm));
        }
    }
}
