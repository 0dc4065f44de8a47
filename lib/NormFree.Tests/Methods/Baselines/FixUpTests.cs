using NormFree.Methods.Baselines;
using NormFree.Models;
using NormFree.Nn;
using NormFree.Optim;

namespace NormFree.Tests.Methods.Baselines;

public class FixUpTests
{
    static ResNetConfig Config(int depth, long inChannels = 1) => ResNetConfig.ResNet(depth) with { InChannels = inChannels, Normalization = false };

    static double AbsSum(Tensor? t)
    {
        Assert.NotNull(t);
        using (t)
        using (var a = t.abs())
        using (var s = a.sum())
            return s.ToDouble();
    }

    [Fact]
    public void StructureHasScalarBiasesAndMultipliersAndNoNormalization()
    {
        using var net = FixUp.Build(Config(20, 3));
        // ResNet-20 without BN or conv biases (268,346, the PyTorch count in ResNetTests) + 5 scalars × 9 blocks + 2
        Assert.Equal(268_346L + 45 + 2, net.parameters().Sum(p => p.numel()));
        Assert.Empty(net.modules().OfType<BatchNorm2d>());
        Assert.All(net.modules().OfType<Conv2d>(), c => Assert.Null(c.bias));
        Assert.Equal(9 * 4 + 2, net.modules().OfType<ScalarBias>().Count());
        Assert.Equal(9, net.modules().OfType<ScalarScale>().Count());
        Assert.IsType<ZeroPadShortcut>(((FixupBasicBlock)net.blocks[3]).shortcut);
        Assert.Throws<ArgumentException>(() => FixUp.Build(ResNetConfig.ResNet20));
        Assert.Throws<ArgumentException>(() => FixUp.Build(Config(20) with { ConvBias = true }));
    }

    [Fact]
    public void InitZeroesTheLastBranchLayerAndTheClassifierAndScalesConv1()
    {
        torch.manual_seed(2);
        using var net = FixUp.Build(Config(20));
        const int L = 9; // residual branches in ResNet-20; m = 2 layers per branch → L^(−1/(2m−2)) = L^(−1/2)
        foreach (var block in net.blocks.Cast<FixupBasicBlock>())
        {
            var conv1 = (Conv2d)block.conv1;
            Assert.Equal(0, AbsSum(((Conv2d)block.conv2).weight.alias()));
            // He init with fan_out = C_out·3·3 (official code), times L^(−1/2)
            var expected = Math.Sqrt(2.0 / (conv1.out_channels * 9)) / Math.Sqrt(L);
            using var std = conv1.weight.std();
            Assert.InRange(std.ToDouble(), 0.93 * expected, 1.07 * expected);
        }
        // stage 2's first conv1 is 16 → 32: fan_out (288) and fan_in (144) differ by 2, so this pins the fan.
        Assert.Equal(16L, ((Conv2d)((FixupBasicBlock)net.blocks[3]).conv1).in_channels);
        var fc = (Linear)((Sequential)net.head)[3];
        Assert.Equal(0, AbsSum(fc.weight.alias()));
        Assert.Equal(0, AbsSum(fc.bias!.alias()));
    }

    [Fact]
    public void OnlyTheClassifierLearnsAtStepOneThenTheLastBranchLayers()
    {
        torch.manual_seed(4);
        using var net = FixUp.Build(Config(14));
        using var x = torch.rand([8, 1, 12, 12]);
        using var target = torch.tensor(new long[] { 0, 1, 2, 3, 4, 5, 6, 7 });
        void Backward()
        {
            net.zero_grad();
            using var scope = torch.NewDisposeScope();
            F.cross_entropy(net.call(x), target).backward();
        }

        Backward();
        foreach (var (name, p) in net.named_parameters())
            Assert.True(name.StartsWith("head.fc.") ? AbsSum(p.grad) > 0 : AbsSum(p.grad) == 0, $"step 1: {name}");

        using (torch.no_grad()) // one SGD step
            foreach (var p in net.parameters())
                using (var g = p.grad)
                    p.add_(g!, alpha: -0.1);
        Backward();
        foreach (var block in net.blocks.Cast<FixupBasicBlock>())
        {
            Assert.True(AbsSum(((Conv2d)block.conv2).weight.grad) > 0); // the last branch layer now learns
            Assert.True(AbsSum(block.bias2b.bias.grad) > 0);
            Assert.Equal(0, AbsSum(((Conv2d)block.conv1).weight.grad)); // still behind a zero conv2
            Assert.Equal(0, AbsSum(block.scale.scale.grad)); // multiplies conv2's output, still 0
        }
    }

    [Fact]
    public void BlockMatchesTheOfficialFormula()
    {
        torch.manual_seed(6);
        using var net = FixUp.Build(Config(14));
        var block = (FixupBasicBlock)net.blocks[2]; // 16 → 32 channels, stride 2: option-A shortcut
        using (torch.no_grad())
        {
            ((Conv2d)block.conv2).weight.normal_(0, 0.1);
            block.bias1a.bias.fill_(0.1);
            block.bias1b.bias.fill_(-0.2);
            block.bias2a.bias.fill_(0.3);
            block.scale.scale.fill_(1.5);
            block.bias2b.bias.fill_(-0.1);
        }
        using var x = torch.randn([2, 16, 8, 8]);
        using var y = block.call(x);
        using var xa = x + 0.1;
        using var c1 = F.conv2d(xa, ((Conv2d)block.conv1).weight, null, [2], [1]);
        using var h0 = c1 - 0.2;
        using var h = F.relu(h0);
        using var ha = h + 0.3;
        using var c2 = F.conv2d(ha, ((Conv2d)block.conv2).weight, null, [1], [1]);
        using var scaled = c2 * 1.5;
        using var branch = scaled - 0.1;
        using var sub = xa.slice(2, 0, xa.size(2), 2);
        using var sub2 = sub.slice(3, 0, sub.size(3), 2);
        using var skip = F.pad(sub2, [0, 0, 0, 0, 8, 8]); // option A on x + b1a, as the official code
        using var sum = branch + skip;
        using var expected = F.relu(sum);
        Assert.True(y.allclose(expected, 1e-5, 1e-6));
    }

    [Fact]
    public void ScalarsGetATenthOfTheLearningRate()
    {
        using var net = FixUp.Build(Config(20));
        var groups = FixUp.parameter_groups(net, lr: 0.01, weight_decay: 5e-4);
        using var sgd = torch.optim.SGD(groups, 0.01, momentum: 0.9);
        var optimizerGroups = sgd.ParamGroups.Cast<SGD.ParamGroup>().ToList();
        Assert.Equal([0.01, 0.001], optimizerGroups.Select(g => g.LearningRate));
        Assert.Equal([5e-4, 0.0], optimizerGroups.Select(g => g.Options.weight_decay!.Value));
        Assert.All(optimizerGroups, g => Assert.Equal(0.9, g.Options.momentum!.Value)); // the optimizer's default fills the groups'
        var slow = groups[1].Parameters.ToList();
        Assert.Equal(9 * 5 + 2 + 1, slow.Count); // block scalars, stem and head biases, the classifier's bias
        Assert.All(slow, p => Assert.True(p.numel() == 1 || p.shape.SequenceEqual(new long[] { 10 })));
        var all = net.parameters().ToList();
        Assert.Equal(all.Count, groups.Sum(g => g.Parameters.Count()));
        Assert.Equal(all.Count, groups.SelectMany(g => g.Parameters).Distinct(ReferenceEqualityComparer.Instance).Count());
    }
}
