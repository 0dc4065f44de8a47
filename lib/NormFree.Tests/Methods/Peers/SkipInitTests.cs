using NormFree.Methods.Peers;
using NormFree.Models;
using NormFree.Nn;
using NormFree.Optim;

namespace NormFree.Tests.Methods.Peers;

public class SkipInitTests
{
    static ResNetConfig Config(BlockKind kind) => (kind switch
    {
        BlockKind.Basic => ResNetConfig.ResNet(8),
        BlockKind.Bottleneck => ResNetConfig.BottleneckResNet(11),
        _ => ResNetConfig.WideResNet(10, 1),
    }) with { InChannels = 1, Normalization = false };

    [Theory]
    [InlineData(BlockKind.Basic, 1UL)]
    [InlineData(BlockKind.Bottleneck, 2UL)]
    [InlineData(BlockKind.PreActivation, 3UL)]
    public void AtInitEveryBlockIsItsSkipPath(BlockKind kind, ulong seed)
    {
        torch.manual_seed((long)seed);
        using var net = SkipInit.Build(Config(kind), new ResNetParts { Init = ResNetInit.He });
        Assert.Empty(net.modules().OfType<BatchNorm2d>());
        var gates = SkipInit.gates(net);
        Assert.Equal(net.blocks.Count, gates.Count);
        Assert.All(gates, g => Assert.Equal(0f, g.scale.ToDouble()));
        using var x = torch.randn([4, 1, 12, 12]);
        SkipPaths.AssertEveryBlockIsItsSkipPath(net, x);
        // The branch hooks see F(x) before the gate, so signal propagation plots still show the branches' variance.
        Assert.All(SignalStatistics.collect(net, x), s => Assert.True(s.BranchVariance > 0, s.Name));

        // Control: with α ≠ 0 the branches count, so the check above can fail.
        using (torch.no_grad()) gates[^1].scale.fill_(0.5);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => SkipPaths.AssertEveryBlockIsItsSkipPath(net, x));
    }

    [Theory]
    [InlineData(BlockKind.Basic)]
    [InlineData(BlockKind.PreActivation)]
    public void AtStepOneOnlyTheGatesAndTheSkipPathLearnThenTheBranches(BlockKind kind)
    {
        torch.manual_seed(5);
        using var net = SkipInit.Build(Config(kind), new ResNetParts { Init = ResNetInit.He });
        using var x = torch.randn([8, 1, 12, 12]);
        using var target = torch.tensor(new long[] { 0, 1, 2, 3, 4, 5, 6, 7 });
        using var sgd = new SGD(net.parameters(), lr: 0.1);
        // Σ|∂L/∂p| of every block parameter, by block-relative name ("3/conv1.weight").
        Dictionary<string, double> GradientSizes()
        {
            using var scope = torch.NewDisposeScope();
            var named = net.blocks.SelectMany((b, i) => b.named_parameters().Select(e => (name: $"{i}/{e.name}", param: e.parameter))).ToList();
            var loss = F.cross_entropy(net.call(x), target);
            var grads = torch.autograd.grad([loss], named.Select(e => (Tensor)e.param).ToArray(), allow_unused: true);
            return named.Zip(grads).ToDictionary(e => e.First.name, e => e.Second is null ? 0 : e.Second.abs().sum().ToDouble());
        }

        foreach (var (name, size) in GradientSizes())
        {
            if (name.Contains("/branch_end.")) Assert.True(size > 0, $"gate {name} has no gradient");
            else if (!name.Contains("/shortcut.")) Assert.True(size == 0, $"{name} behind a zero gate has a gradient");
        }

        sgd.zero_grad(); // one SGD step moves every gate off 0
        using (var scope = torch.NewDisposeScope()) F.cross_entropy(net.call(x), target).backward();
        sgd.step();
        foreach (var (name, size) in GradientSizes().Where(e => e.Key.Contains("/conv")))
            Assert.True(size > 0, $"{name} still has no gradient after one step");
    }

    [Fact]
    public void GateStartsAtAlphaAndComposesWithOtherParts()
    {
        var parts = SkipInit.Parts(new ResNetParts { Activation = () => nn.LeakyReLU(0.1) }, alpha: 0.25);
        using var net = ResNet.Build(Config(BlockKind.Basic), parts);
        Assert.All(SkipInit.gates(net), g => Assert.Equal(0.25f, g.scale.ToDouble()));
        Assert.NotEmpty(net.modules().OfType<LeakyReLU>());
        using var plain = ResNet.Build(Config(BlockKind.Basic));
        Assert.Throws<ArgumentException>(() => SkipInit.gates(plain));
    }
}
