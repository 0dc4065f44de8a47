using NormFree.Methods.Baselines;
using NormFree.Methods.Farkas;
using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Tests.Methods.Farkas;

public class FarkasNetTests
{
    static long Count(nn.Module m) => m.parameters().Sum(p => p.numel());

    // Counted independently with torch.nn pieces in Debian's PyTorch 1.13 (/usr/bin/python3) from the spec:
    // a Farkas conv with o outputs has (o − 1)·i·k² + o parameters; BN without affine has none.
    [Theory]
    [InlineData(18, 3L, 304_255L)]
    [InlineData(18, 1L, 303_985L)]
    [InlineData(34, 3L, 525_864L)]
    [InlineData(50, 3L, 1_519_862L)]
    [InlineData(101, 3L, 2_826_408L)]
    public void ParameterCountsMatchAnIndependentCount(int depth, long inChannels, long expected)
    {
        using var net = FarkasNet.Build(FarkasNetConfig.FarkasNet(depth) with { Net = FarkasNet.Architecture(depth) with { InChannels = inChannels } });
        Assert.Equal(expected, Count(net));
    }

    [Fact]
    public void FarkasNet18GrowsOneChannelPerBlockAndPoolsAtTransitions()
    {
        var config = FarkasNetConfig.FarkasNet18 with { Net = FarkasNet.Architecture(18) with { InChannels = 1 } };
        using var net = FarkasNet.Build(config);
        Assert.Equal(new long[] { 16, 17, 18, 32, 33, 34, 64, 65, 66 }, net.blocks.Select(b => b.in_channels));
        Assert.Equal(67L, net.feature_channels);
        Assert.All(net.blocks, b => Assert.Equal(Aggregation.Sum, ((FarkasBlock)b).aggregation));
        var names = net.named_modules().Select(e => e.name).ToHashSet();
        Assert.DoesNotContain("stage1.transition", names);
        var t = (Sequential)net.stages[1][0];
        var conv = Assert.IsType<FarkasConv2d>(t[0]);
        Assert.Equal((19L, 32L, 1L), (conv.in_channels, conv.out_channels, conv.kernel_size));
        Assert.Equal([2L, 2L], Assert.IsType<AvgPool2d>(t[2]).kernel_size);
        using var x = torch.randn([2, 1, 28, 28]);
        using var y = net.call(x);
        Assert.Equal(new long[] { 2, 10 }, y.shape);
        // BN (without affine) after every ReLU: stem, 2 transitions, 2 per block.
        var norms = net.modules().OfType<BatchNorm2d>().ToList();
        Assert.Equal(1 + 2 + 2 * 9, norms.Count);
        Assert.All(norms, n => Assert.False(n.affine));
        using var plain = FarkasNet.Build(config with { Net = config.Net with { Normalization = false } });
        Assert.Empty(plain.modules().OfType<BatchNorm2d>());
    }

    [Fact]
    public void BottleneckNetsHaveFourStages()
    {
        using var net = FarkasNet.Build(FarkasNetConfig.FarkasNet50 with { Aggregation = Aggregation.Mean });
        Assert.Equal(16, net.blocks.Count);
        Assert.Equal(512L + 3, net.feature_channels);
        Assert.All(net.blocks, b => Assert.Equal("conv3", ((FarkasBlock)b).branch.named_children().Last().name));
        using var x = torch.randn([1, 3, 16, 16]);
        using var y = net.call(x);
        Assert.Equal(new long[] { 1, 10 }, y.shape);
        Assert.Equal([3, 4, 23, 3], FarkasNetConfig.FarkasNet101.Net.BlocksPerStage);
        Assert.Equal([2, 1, 2, 1], FarkasNet.Architecture([2, 1, 2, 1], BlockKind.Bottleneck, 32).BlocksPerStage);
        Assert.Throws<ArgumentException>(() => FarkasNet.Architecture(20));
    }

    [Fact]
    public void Table4ConfigZeroesEveryBlocksLastLayer()
    {
        var table4 = FarkasNetConfig.Table4 with { Net = FarkasNetConfig.Table4.Net with { InChannels = 1 } };
        Assert.Equal((Aggregation.Mean, true, false), (table4.Aggregation, table4.ZeroLast, table4.Net.Normalization));
        using var net = FarkasNet.Build(table4);
        Assert.Equal(15, net.blocks.Count);
        Assert.All(net.blocks.Cast<FarkasBlock>(), b =>
        {
            using var a = b.last.weight.abs();
            using var s = a.sum();
            Assert.Equal(0, s.ToDouble());
        });
    }

    static void SetConvAndFarkasBiases(nn.Module net, double value)
    {
        using var _ = torch.no_grad();
        foreach (var (name, p) in net.named_parameters())
            if (name.EndsWith("bias") && !name.StartsWith("head")) p.fill_(value);
    }

    [Theory]
    [InlineData(Aggregation.Sum)]
    [InlineData(Aggregation.Mean)]
    public void WithEveryBiasAtMinusTenTheFarkasNetTrainsAndThePlainNetIsDead(Aggregation aggregation)
    {
        torch.manual_seed(11);
        var macro = FarkasNet.Architecture([1, 1, 1]) with { InChannels = 1, Normalization = false };
        using var farkas = FarkasNet.Build(new FarkasNetConfig(macro, aggregation));
        using var plain = PlainResNet.Build(macro);
        SetConvAndFarkasBiases(farkas, -10);
        SetConvAndFarkasBiases(plain, -10);
        using var x = torch.rand([4, 1, 12, 12]); // pixels in [0, 1], no input normalization
        using var target = torch.tensor(new long[] { 0, 1, 2, 3 });

        // Every Farkas layer and block output has a positive unit at every pixel of every sample.
        var outputs = new List<Tensor>();
        var hooks = farkas.modules().Where(m => m is FarkasLayer or FarkasBlock).Cast<nn.Module<Tensor, Tensor>>()
            .Select(m => m.register_forward_hook((_, _, output) =>
            {
                outputs.Add(output.alias().DetachFromDisposeScope());
                return null!; // keep the output
            })).ToList();
        using (torch.NewDisposeScope())
        {
            F.cross_entropy(farkas.call(x), target).backward();
            F.cross_entropy(plain.call(x), target).backward();
        }
        hooks.ForEach(h => h.remove());
        Assert.Equal(1 + 2 + 3 * 2, outputs.Count); // stem, 2 transitions, 3 blocks × (inner Farkas conv + block)
        foreach (var o in outputs)
            using (o)
            {
                var (largest, indices) = o.max(1);
                using (largest)
                using (indices)
                using (var min = largest.min())
                    Assert.True(min.ToDouble() > 0);
            }
        foreach (var (name, p) in farkas.named_parameters())
            using (var g = p.grad)
            using (var a = g!.abs())
            using (var s = a.sum())
                Assert.True(s.ToDouble() > 0, $"FarkasNet: no gradient for {name}");
        // The plain net's stem is dead: only the classifier learns, and only its bias (its input is 0).
        foreach (var (name, p) in plain.named_parameters())
            using (var g = p.grad)
            using (var a = g!.abs())
            using (var s = a.sum())
                Assert.True(name == "head.fc.bias" ? s.ToDouble() > 0 : s.ToDouble() == 0, $"plain net: {name} has gradient {s.ToDouble()}");
    }
}
