using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Tests.Models;

public class ResNetTests
{
    static long Count(nn.Module m) => m.parameters().Sum(p => p.numel());

    // Parameter counts of the same architectures built from torch.nn layers in Debian's PyTorch 1.13
    // (/usr/bin/python3): He et al. CIFAR ResNet with option-A shortcuts, BN, bias-free convs, and Zagoruyko's WRN.
    // ResNet-20: 269,722 (the "0.27M" of He et al. 2016a, Table 6).
    [Theory]
    [InlineData(20, 3, true, false, 269_722L)]
    [InlineData(20, 1, true, false, 269_434L)]
    [InlineData(20, 3, false, false, 268_346L)]
    [InlineData(20, 3, false, true, 269_034L)]
    [InlineData(56, 3, true, false, 853_018L)]
    [InlineData(110, 3, true, false, 1_727_962L)]
    public void ParameterCountsMatchPyTorch(int depth, long inChannels, bool bn, bool bias, long expected)
    {
        var config = ResNetConfig.ResNet(depth) with { InChannels = inChannels, Normalization = bn, ConvBias = bias };
        using var net = ResNet.Build(config);
        Assert.Equal(expected, Count(net));
    }

    [Fact]
    public void BottleneckAndWideParameterCountsMatchPyTorch()
    {
        using var resnet164 = ResNet.Build(ResNetConfig.BottleneckResNet(164));
        Assert.Equal(1_704_154L, Count(resnet164)); // PyTorch 1.13, post-activation bottlenecks, projection shortcuts with BN
        using var wrn = ResNet.Build(ResNetConfig.WideResNet(16, 2));
        Assert.Equal(691_674L, Count(wrn)); // PyTorch 1.13, WRN-16-2 as in Zagoruyko's reference code
    }

    [Fact]
    public void ResNet20OutputShapesForFashionMnistAndCifar()
    {
        using var cifar = ResNet.Build(ResNetConfig.ResNet20);
        using var x = torch.randn([2, 3, 32, 32]);
        using var y = cifar.call(x);
        Assert.Equal(new long[] { 2, 10 }, y.shape);
        using var fmnist = ResNet.Build(ResNetConfig.ResNet20 with { InChannels = 1 });
        using var img = torch.randn([2, 1, 28, 28]);
        using var z = fmnist.call(img);
        Assert.Equal(new long[] { 2, 10 }, z.shape);
        Assert.Equal(9, fmnist.blocks.Count);
        Assert.Equal(64L, fmnist.feature_channels);
        var e = Assert.Throws<ArgumentException>(() => fmnist.call(x));
        Assert.Contains("(B, 1, H, W)", e.Message);
        Assert.Contains("[2, 3, 32, 32]", e.Message);
    }

    [Fact]
    public void WideResNetAndBottleneckShapes()
    {
        using var wrn = ResNet.Build(ResNetConfig.WideResNet(16, 2, dropout: 0.3) with { NumClasses = 100 });
        using var x = torch.randn([2, 3, 32, 32]);
        using var y = wrn.call(x);
        Assert.Equal(new long[] { 2, 100 }, y.shape);
        Assert.Equal(new long[] { 32, 64, 128 }, wrn.stages.Select(s => ((ResidualBlock)s[0]).out_channels));
        Assert.All(wrn.blocks, b => Assert.Equal(0.3, ((PreActBlock)b).dropout.p));
        using var bottleneck = ResNet.Build(ResNetConfig.BottleneckResNet(20));
        using var z = bottleneck.call(x);
        Assert.Equal(new long[] { 2, 10 }, z.shape);
        Assert.Equal(256L, bottleneck.feature_channels);
    }

    [Fact]
    public void ZeroPadShortcutSubsamplesAndPadsChannelsWithZeros()
    {
        using var sc = new ZeroPadShortcut(2, 4, 2);
        using var x = torch.arange(0, 32, 1, float32).view(1, 2, 4, 4); // channel c holds 16c .. 16c + 15 row-major
        using var y = sc.call(x);
        Assert.Equal(new long[] { 1, 4, 2, 2 }, y.shape);
        // channel 0: zeros; 1: x[0, 0, ::2, ::2] = 0, 2, 8, 10; 2: x[0, 1, ::2, ::2] = 16, 18, 24, 26; 3: zeros
        Assert.Equal(new float[] { 0, 0, 0, 0, 0, 2, 8, 10, 16, 18, 24, 26, 0, 0, 0, 0 }, y.data<float>().ToArray());
        using var odd = new ZeroPadShortcut(3, 6, 1);
        using var ones = torch.ones([1, 3, 1, 1]);
        using var o = odd.call(ones);
        Assert.Equal(new float[] { 0, 1, 1, 1, 0, 0 }, o.data<float>().ToArray()); // 3 new channels: 1 in front, 2 behind
        Assert.Throws<ArgumentException>(() => new ZeroPadShortcut(4, 2, 1));
    }

    [Fact]
    public void NormalizationSwitchChangesTheModuleStructure()
    {
        using var bn = ResNet.Build(ResNetConfig.ResNet20);
        using var plain = ResNet.Build(ResNetConfig.ResNet20 with { Normalization = false });
        Assert.Equal(19, bn.modules().OfType<BatchNorm2d>().Count()); // stem + 2 per block
        Assert.Empty(plain.modules().OfType<BatchNorm2d>());
        Assert.Empty(plain.named_buffers());
        Assert.Contains(plain.named_modules(), e => e.name == "stage1.0.norm1" && e.module is Identity);
        Assert.Contains(bn.named_parameters(), e => e.name == "stage2.0.norm2.weight");
    }

    [Fact]
    public void ConvBiasSwitchAddsOneBiasPerConv()
    {
        using var withBias = ResNet.Build(ResNetConfig.ResNet20 with { ConvBias = true });
        using var without = ResNet.Build(ResNetConfig.ResNet20);
        var convs = withBias.modules().OfType<Conv2d>().ToList();
        Assert.Equal(19, convs.Count);
        Assert.All(convs, c => Assert.NotNull(c.bias));
        Assert.All(without.modules().OfType<Conv2d>(), c => Assert.Null(c.bias));
        Assert.Equal(Count(without) + convs.Sum(c => c.out_channels), Count(withBias));
    }

    [Fact]
    public void ProjectionShortcutsUseOneByOneConvs()
    {
        using var net = ResNet.Build(ResNetConfig.ResNet20 with { Shortcut = ShortcutKind.Projection });
        var sc = (Sequential)((BasicBlock)net.blocks[3]).shortcut;
        var conv = Assert.IsType<Conv2d>(sc[0]);
        Assert.Equal((16L, 32L, 1L, 2L), (conv.in_channels, conv.out_channels, conv.kernel_size[0], conv.stride[0]));
        Assert.IsType<Identity>(((BasicBlock)net.blocks[1]).shortcut);
    }

    [Fact]
    public void BlockFactoryReceivesItsContextAndMayGrowTheWidth()
    {
        var contexts = new List<BlockContext>();
        var parts = new ResNetParts
        {
            Block = ctx =>
            {
                contexts.Add(ctx);
                return new GrowingBlock(ctx);
            },
        };
        using var net = ResNet.Build(ResNetConfig.ResNet(14) with { InChannels = 1 }, parts);
        Assert.Equal(6, contexts.Count);
        Assert.All(contexts, c => Assert.Equal(6, c.TotalBlocks));
        Assert.All(contexts, c => Assert.Equal(2, c.BlocksInStage));
        Assert.Equal(new long[] { 1, 1, 2, 1, 2, 1 }, contexts.Select(c => c.Stride));
        Assert.Equal(new[] { (0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1) }, contexts.Select(c => (c.Stage, c.Index)));
        Assert.Equal(new long[] { 16, 17, 18, 19, 20, 21 }, contexts.Select(c => c.InChannels));
        Assert.Equal(22L, net.feature_channels);
        Assert.Equal(22L, ((Linear)((Sequential)net.head)[2]).in_features);
        using var x = torch.randn([2, 1, 12, 12]);
        using var y = net.call(x);
        Assert.Equal(new long[] { 2, 10 }, y.shape);
    }

    /// <summary>A block that adds one channel (c → c + 1), as a Farkas block does.</summary>
    sealed class GrowingBlock : ResidualBlock
    {
        readonly nn.Module<Tensor, Tensor> conv;

        public GrowingBlock(BlockContext ctx) : base(ctx.InChannels, ctx.InChannels + 1)
        {
            conv = ctx.conv(ctx.InChannels, ctx.InChannels + 1, 3, ctx.Stride);
            register_module("conv", conv);
        }

        public override Tensor forward(Tensor x) => branch_output(conv.call(x));
    }

    [Theory]
    [InlineData(BlockKind.Basic)]
    [InlineData(BlockKind.Bottleneck)]
    [InlineData(BlockKind.PreActivation)]
    public void BlockInputSeesEveryUnitInputAndFeedsBothPaths(BlockKind kind)
    {
        var seen = new List<long[]>();
        var parts = new ResNetParts { BlockInput = _ => new Recorder(seen) };
        var config = (kind switch
        {
            BlockKind.Basic => ResNetConfig.ResNet(8),
            BlockKind.Bottleneck => ResNetConfig.BottleneckResNet(11),
            _ => ResNetConfig.WideResNet(10, 1),
        }) with { InChannels = 1 };
        using var net = ResNet.Build(config, parts);
        Assert.All(net.blocks, b => Assert.IsType<Recorder>(b.input));
        using var x = torch.randn([2, 1, 8, 8]);
        using (var y = net.call(x)) Assert.Equal(new long[] { 2, 10 }, y.shape);
        Assert.Equal(net.blocks.Select(b => b.in_channels), seen.Select(s => s[1]));
        // A unit input that zeroes its input zeroes the unit's output (both branch and shortcut see it).
        using var zeroed = ResNet.Build(config, new ResNetParts { BlockInput = _ => new ScalarZero() });
        var fc = Assert.IsType<Linear>(((Sequential)zeroed.head)[^1]);
        using (var y = zeroed.call(x))
        using (var bias = fc.bias!.expand(2, 10))
            Assert.True(y.allclose(bias, 1e-6, 1e-7)); // the last unit outputs 0, so the head gives its bias
        using var plain = ResNet.Build(config);
        Assert.All(plain.blocks, b => Assert.Null(b.input));
    }

    /// <summary>Records the shapes it sees, returns its input.</summary>
    sealed class Recorder(List<long[]> seen) : nn.Module<Tensor, Tensor>(nameof(Recorder))
    {
        public override Tensor forward(Tensor input)
        {
            seen.Add(input.shape);
            return input.alias();
        }
    }

    sealed class ScalarZero() : nn.Module<Tensor, Tensor>(nameof(ScalarZero))
    {
        public override Tensor forward(Tensor input) => input * 0.0;
    }

    [Fact]
    public void TransitionOpensEveryStageThatChangesShapeAndBlocksKeepIt()
    {
        var calls = new List<(long inChannels, long width, long stride)>();
        var contexts = new List<BlockContext>();
        var parts = new ResNetParts
        {
            Transition = (c, p, inChannels, width, stride) =>
            {
                calls.Add((inChannels, width, stride));
                return nn.Sequential(("conv", p.conv(c, inChannels, width, 1)), ("pool", nn.AvgPool2d(stride)));
            },
            Block = ctx =>
            {
                contexts.Add(ctx);
                return new GrowingBlock(ctx);
            },
        };
        using var net = ResNet.Build(ResNetConfig.ResNet(14) with { InChannels = 1, Normalization = false }, parts);
        Assert.Equal([(18L, 32L, 2L), (34L, 64L, 2L)], calls); // stage 1 keeps the stem's 16 channels: no transition
        Assert.All(contexts, c => Assert.Equal(1L, c.Stride));
        Assert.Equal(new long[] { 16, 17, 32, 33, 64, 65 }, contexts.Select(c => c.InChannels));
        Assert.Equal(["0", "1"], net.stages[0].named_children().Select(e => e.name));
        Assert.Equal(["transition", "0", "1"], net.stages[1].named_children().Select(e => e.name));
        using var x = torch.randn([2, 1, 12, 12]);
        var stats = SignalStatistics.collect(net, x);
        Assert.Equal(new[] { (0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1) }, stats.Select(s => (s.Stage, s.Index)));
        Assert.Equal("stage2.0", stats[2].Name);
    }

    [Fact]
    public void ConvFactoryAndInitArePluggable()
    {
        var parts = new ResNetParts
        {
            Conv = s => new WeightNorm(nn.Conv2d(s.InChannels, s.OutChannels, s.KernelSize, s.Stride, s.Padding, bias: s.Bias)),
            Init = ResNetInit.He,
        };
        using var net = ResNet.Build(ResNetConfig.ResNet20 with { Normalization = false }, parts);
        Assert.Equal(19, net.modules().OfType<WeightNorm>().Count());
        using var std = ((BasicBlock)net.blocks[8]).conv2 is WeightNorm wn ? wn.weight_v.std() : throw new InvalidOperationException();
        Assert.InRange(std.ToDouble(), 0.9 * Math.Sqrt(2.0 / 576), 1.1 * Math.Sqrt(2.0 / 576)); // He init: N(0, 2/fan_in), fan_in = 64·9
        using var x = torch.randn([2, 3, 16, 16]);
        using var y = net.call(x);
        Assert.Equal(new long[] { 2, 10 }, y.shape);
    }

    [Fact]
    public void ForwardBackwardGivesFiniteGradientsToEveryParameter()
    {
        foreach (var config in new[] { ResNetConfig.ResNet20 with { InChannels = 1 }, ResNetConfig.WideResNet(10, 1, 0.1) with { InChannels = 1 } })
        {
            using var net = ResNet.Build(config);
            using var x = torch.randn([4, 1, 28, 28]);
            using var target = torch.tensor(new long[] { 0, 3, 7, 9 });
            using (torch.NewDisposeScope())
            {
                var logits = net.call(x);
                var loss = F.cross_entropy(logits, target);
                Assert.True(double.IsFinite(loss.ToDouble()));
                loss.backward();
            }
            foreach (var (name, p) in net.named_parameters())
            {
                using var g = p.grad;
                Assert.True(g is not null, $"{config.Name}: no gradient for {name}");
                using var finite = g!.isfinite().all();
                Assert.True(finite.item<bool>(), $"{config.Name}: non-finite gradient for {name}");
            }
        }
    }

    [Fact]
    public void SignalStatisticsMeasureEveryBlock()
    {
        using var net = ResNet.Build(ResNetConfig.ResNet20 with { Normalization = false });
        using var x = torch.randn([8, 3, 16, 16], generator: new Generator(3));
        var stats = SignalStatistics.collect(net, x);
        Assert.Equal(9, stats.Count);
        Assert.Equal("stage1.0", stats[0].Name);
        Assert.Equal((2, 2), (stats[8].Stage, stats[8].Index));
        Assert.All(stats, s => Assert.True(s.ChannelVariance > 0 && s.BranchVariance > 0 && s.ChannelMeanSquared > 0));
        // The last block's output is the head's input: compare with a direct measurement.
        Tensor? features = null;
        var hook = net.blocks[8].register_forward_hook((_, _, output) => { features = output.alias(); return output; });
        using (torch.no_grad())
        using (net.call(x)) { }
        hook.remove();
        using (features)
        {
            using var mean = features!.mean([0L, 2, 3]);
            using var squared = mean * mean;
            using var meanSq = squared.mean();
            using var channelVar = features.var([0L, 2, 3], unbiased: false);
            using var variance = channelVar.mean();
            Assert.Equal(meanSq.ToDouble(), stats[8].ChannelMeanSquared, 1e-6);
            Assert.Equal(variance.ToDouble(), stats[8].ChannelVariance, 1e-6);
        }
        Assert.All(net.parameters(), p =>
        {
            using var g = p.grad;
            Assert.Null(g); // measured without recording a graph
        });
    }

    [Fact]
    public void ConfigsAreValueEqualAndReadable()
    {
        Assert.Equal(ResNetConfig.ResNet(20), ResNetConfig.ResNet20);
        Assert.NotEqual(ResNetConfig.ResNet20, ResNetConfig.ResNet20 with { InChannels = 1 });
        Assert.Equal([18, 18, 18], ResNetConfig.ResNet110.BlocksPerStage);
        Assert.Equal(new long[] { 160, 320, 640 }, ResNetConfig.WideResNet(28, 10).Widths);
        Assert.Contains("BlocksPerStage = [3, 3, 3]", ResNetConfig.ResNet20.ToString());
        Assert.Throws<ArgumentException>(() => ResNetConfig.ResNet(21));
        Assert.Throws<ArgumentException>(() => ResNetConfig.WideResNet(15, 2));
    }

    /// <summary>The state-dict names the checkpoints and the PyTorch twins rely on: module paths stem / stageK.i / head,
    /// BatchNorm's running statistics and batch counter, no entries for parameter-free shortcuts.</summary>
    [Fact]
    public void StateDictKeysNameEveryModuleByItsPath()
    {
        using var resnet = ResNet.Build(ResNetConfig.ResNet(8));
        var keys = resnet.state_dict().Keys.ToList();
        // TorchSharp lists every parameter before every buffer (PyTorch interleaves them by module): names matter, not order.
        foreach (var key in new[] { "stem.conv.weight", "stem.norm.weight", "stem.norm.bias", "stem.norm.running_mean", "stem.norm.running_var", "stem.norm.num_batches_tracked", "head.fc.weight", "head.fc.bias" })
            Assert.Contains(key, keys);
        foreach (var stage in new[] { "stage1", "stage2", "stage3" })
            foreach (var part in new[] { "conv1.weight", "norm1.weight", "norm1.running_var", "norm1.num_batches_tracked", "conv2.weight", "norm2.bias", "norm2.running_mean" })
                Assert.Contains($"{stage}.0.{part}", keys);
        Assert.DoesNotContain(keys, k => k.Contains("shortcut"));       // option A: no parameters, no buffers
        Assert.Equal(6 + 3 * 12 + 2, keys.Count); // stem conv + BN (5 entries); 3 blocks of 2 convs + 2 BNs; fc weight and bias

        using var projection = ResNet.Build(ResNetConfig.ResNet(8) with { Shortcut = ShortcutKind.Projection, Normalization = false, ConvBias = true });
        var projectionKeys = projection.state_dict().Keys.ToList();
        Assert.Contains("stage2.0.shortcut.conv.weight", projectionKeys);
        Assert.Contains("stage2.0.shortcut.conv.bias", projectionKeys);
        Assert.Contains("stage1.0.conv1.bias", projectionKeys);
        Assert.DoesNotContain(projectionKeys, k => k.Contains("norm"));   // Identity in every normalization slot
        Assert.DoesNotContain(projectionKeys, k => k.StartsWith("stage1.0.shortcut"));

        using var wrn = ResNet.Build(ResNetConfig.WideResNet(10, 1));
        var wrnKeys = wrn.state_dict().Keys.ToList();
        Assert.Contains("stem.weight", wrnKeys);                          // a pre-activation stem is the conv alone
        Assert.Contains("stage1.0.norm1.running_mean", wrnKeys);
        Assert.Contains("stage2.0.shortcut.weight", wrnKeys);             // a bare 1×1 conv, no norm after it
        Assert.Contains("head.norm.weight", wrnKeys);
    }

    [Fact]
    public void ZeroPadShortcutAndResNetRejectAWrongRankWithAClearMessage()
    {
        using var shortcut = new ZeroPadShortcut(2, 4, 2);
        using var rank3 = torch.zeros([2, 2, 8]);
        var e = Assert.Throws<ArgumentException>(() => shortcut.call(rank3));
        Assert.Contains("(B, 2, H, W)", e.Message);
        Assert.Contains("[2, 2, 8]", e.Message);
        using var channels3 = torch.zeros([1, 3, 4, 4]);
        Assert.Contains("[1, 3, 4, 4]", Assert.Throws<ArgumentException>(() => shortcut.call(channels3)).Message);
        using var net = ResNet.Build(ResNetConfig.ResNet(8));
        using var image = torch.zeros([3, 32, 32]);
        e = Assert.Throws<ArgumentException>(() => net.call(image));
        Assert.Contains("ResNet-8", e.Message);
        Assert.Contains("(B, 3, H, W)", e.Message);
    }
}
