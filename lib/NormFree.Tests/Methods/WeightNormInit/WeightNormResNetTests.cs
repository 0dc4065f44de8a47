using NormFree.Methods.WeightNormInit;
using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Tests.Methods.WeightNormInit;

public class WeightNormResNetTests
{
    [Fact]
    public void TheBlockIsShortcutPlusConv2OfReluOfConv1WithNoReluAfterTheSum()
    {
        using var gen = new Generator(7);
        using var net = WeightNormResNet.Build(ResNetConfig.ResNet20 with { InChannels = 1 }, WeightNormScheme.Proposed, generator: gen);
        Assert.Equal("WN-ResNet-20", net.config.Name);
        Assert.IsType<WeightNorm>(net.stem); // one conv, no ReLU after it
        using var x = torch.randn([2, 16, 8, 8], generator: gen);
        using var _ = torch.no_grad();
        foreach (var block in new[] { net.blocks[0], net.blocks[3] }) // identity and projection shortcut
        {
            var b = Assert.IsType<WeightNormBlock>(block);
            using var input = b.in_channels == 16 ? x.alias() : torch.randn([2, b.in_channels, 8, 8], generator: gen);
            using var y = b.call(input);
            using var h = b.conv1.call(input);
            using var r = h.relu();
            using var f = b.conv2.call(r);
            using var skip = b.shortcut.call(input);
            using var expected = skip + f;
            Assert.True(y.allclose(expected, 1e-5, 1e-6));
            using var negative = y.lt(0);
            using var any = negative.any();
            Assert.True(any.item<bool>()); // no ReLU after the sum
        }
        Assert.IsType<Identity>(((WeightNormBlock)net.blocks[0]).shortcut);
        Assert.IsType<WeightNorm>(((WeightNormBlock)net.blocks[3]).shortcut); // 16 → 32, stride 2: 1×1 WN conv
        using var images = torch.randn([2, 1, 28, 28], generator: gen);
        using var logits = net.call(images);
        Assert.Equal(new long[] { 2, 10 }, logits.shape);
    }

    [Fact]
    public void WideResNetUsesTheWeightNormBlocksAndAPlainHead()
    {
        using var net = WeightNormResNet.Build(ResNetConfig.WideResNet(10, 2) with { InChannels = 1 }, WeightNormScheme.Proposed);
        Assert.Equal("WN-WRN-10-2", net.config.Name);
        Assert.All(net.blocks, b => Assert.IsType<WeightNormBlock>(b));
        Assert.Equal(["pool", "flatten", "fc"], net.head.named_children().Select(c => c.name)); // no norm/ReLU before the pool
        Assert.Empty(net.modules().OfType<BatchNorm2d>());
        using var x = torch.randn([2, 1, 16, 16]);
        using var y = net.call(x);
        Assert.Equal(new long[] { 2, 10 }, y.shape);
    }

    [Fact]
    public void BatchNormBaselineHasOrthogonalConvsAndBatchNorm()
    {
        using var gen = new Generator(8);
        using var net = BatchNormOrthogonal.Build(ResNetConfig.ResNet20 with { InChannels = 1, Normalization = false }, gen);
        Assert.NotEmpty(net.modules().OfType<BatchNorm2d>());
        foreach (var conv in net.modules().OfType<Conv2d>())
        {
            using var m = conv.weight.reshape([conv.weight.size(0), -1]);
            using var gram = m.size(0) <= m.size(1) ? m.matmul(m.t()) : m.t().matmul(m);
            using var eye = torch.eye(gram.size(0));
            Assert.True(gram.allclose(eye, 1e-4, 1e-4));
        }
    }
}
