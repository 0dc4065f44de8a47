using NormFree.Methods.Baselines;
using NormFree.Methods.Farkas;
using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Tests.Methods.Baselines;

public class PlainResNetTests
{
    static long Count(nn.Module m) => m.parameters().Sum(p => p.numel());

    // Counted independently with torch.nn (Conv2d with bias, BatchNorm2d, Linear) in Debian's PyTorch 1.13 for the same
    // macro-architecture as the FarkasNets: stem 3×3, 1×1 conv + AvgPool transitions, width-keeping blocks.
    [Theory]
    [InlineData(18, false, 294_730L)]
    [InlineData(18, true, 296_298L)]
    [InlineData(34, false, 488_714L)]
    [InlineData(50, false, 1_521_578L)]
    [InlineData(101, true, 2_738_154L)]
    public void ParameterCountsMatchAnIndependentCount(int depth, bool bn, long expected)
    {
        using var net = PlainResNet.Build(FarkasNet.Architecture(depth) with { Normalization = bn });
        Assert.Equal(expected, Count(net));
    }

    [Fact]
    public void SameMacroArchitectureAsTheFarkasNet()
    {
        var macro = FarkasNet.Architecture(18) with { InChannels = 1, Normalization = false };
        using var net = PlainResNet.Build(macro);
        Assert.Equal(new long[] { 16, 16, 16, 32, 32, 32, 64, 64, 64 }, net.blocks.Select(b => b.in_channels));
        Assert.All(net.blocks, b => Assert.IsType<Identity>(((BasicBlock)b).shortcut));
        var t = (Sequential)net.stages[2][0];
        Assert.Equal(["conv", "norm", "act", "pool"], t.named_children().Select(e => e.name));
        var conv = Assert.IsType<Conv2d>(t[0]);
        Assert.Equal((32L, 64L, 1L, 1L), (conv.in_channels, conv.out_channels, conv.kernel_size[0], conv.kernel_size[1]));
        Assert.All(net.modules().OfType<Conv2d>(), c => Assert.NotNull(c.bias)); // PyTorch's default conv
        Assert.Empty(net.modules().OfType<BatchNorm2d>());
        using var x = torch.rand([2, 1, 28, 28]);
        using var y = net.call(x);
        Assert.Equal(new long[] { 2, 10 }, y.shape);
        using var bn = PlainResNet.Build(macro with { Normalization = true });
        Assert.Equal(1 + 2 + 2 * 9, bn.modules().OfType<BatchNorm2d>().Count());
    }

    [Fact]
    public void BottleneckBlocksKeepTheStageWidth()
    {
        using var net = PlainResNet.Build(FarkasNet.Architecture([1, 2, 1, 1], BlockKind.Bottleneck, 16) with { InChannels = 1 });
        Assert.Equal(new long[] { 16, 32, 32, 64, 128 }, net.blocks.Select(b => b.out_channels));
        var first = (Bottleneck)net.blocks[0];
        Assert.Equal(4L, ((Conv2d)first.conv1).out_channels); // 16/4 inside
        using var x = torch.rand([2, 1, 16, 16]);
        using var y = net.call(x);
        Assert.Equal(new long[] { 2, 10 }, y.shape);
    }
}
