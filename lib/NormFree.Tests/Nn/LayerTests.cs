using NormFree.Nn;
using NormFree.Tests.Torch;
using NormFree.Torch;

namespace NormFree.Tests.Nn;

public class LayerTests
{
    [Fact]
    public void LinearMatchesHandComputedValues()
    {
        using var lin = new Linear(2, 3);
        using (torch.no_grad())
        {
            using var w = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [3, 2]);
            using var b = torch.tensor(new float[] { 0.5f, -1, 2 });
            lin.weight.copy_(w);
            lin.bias!.copy_(b);
        }
        using var x = torch.tensor(new float[] { 1, -1, 2, 0.5f }, [2, 2]);
        using var y = lin.call(x);
        // row 0: (1−2+0.5, 3−4−1, 5−6+2); row 1: (2+1+0.5, 6+2−1, 10+3+2)
        Assert.Equal(new float[] { -0.5f, -2, 1, 3.5f, 7, 15 }, y.data<float>());
        Assert.Equal(["weight", "bias"], lin.named_parameters().Select(e => e.name));
    }

    [Fact]
    public void LinearWithoutBiasHasOnlyWeight()
    {
        using var lin = new Linear(4, 5, bias: false);
        Assert.Null(lin.bias);
        Assert.Equal(["weight"], lin.named_parameters().Select(e => e.name));
    }

    [Fact]
    public void WrongInputShapesThrowArgumentExceptionsNamingShapes()
    {
        using var lin = new Linear(4, 5);
        using var conv = new Conv2d(3, 8, 3);
        using var bn = new BatchNorm2d(3);
        using var pool = new AvgPool2d(2);
        using var x3 = torch.zeros([2, 3, 8]);
        using var x4 = torch.zeros([2, 4, 8, 8]);
        var e = Assert.Throws<ArgumentException>(() => lin.call(x3));
        Assert.Contains("(*, 4)", e.Message);
        Assert.Contains("[2, 3, 8]", e.Message);
        e = Assert.Throws<ArgumentException>(() => conv.call(x3));
        Assert.Contains("(B, 3, H, W)", e.Message);
        Assert.Contains("[2, 3, 8]", e.Message);
        e = Assert.Throws<ArgumentException>(() => conv.call(x4));
        Assert.Contains("[2, 4, 8, 8]", e.Message);
        e = Assert.Throws<ArgumentException>(() => bn.call(x3));
        Assert.Contains("(B, 3, H, W)", e.Message);
        Assert.Throws<ArgumentException>(() => pool.call(x3));
        Assert.Throws<ArgumentException>(() => new Conv2d(3, 8, 3, groups: 2));
        Assert.Throws<ArgumentException>(() => new Linear(0, 3));
    }

    [Fact]
    public void Conv2dOutputShapesFollowTheFormula()
    {
        using var x = torch.randn([2, 4, 11, 11]);
        foreach (var (k, s, p, d) in new[] { (3L, 1L, 1L, 1L), (3, 2, 1, 1), (1, 2, 0, 1), (3, 1, 2, 2), (5, 3, 0, 1) })
        {
            using var conv = new Conv2d(4, 6, k, s, p, d, groups: 2, bias: false);
            using var y = conv.call(x);
            var h = (11 + 2 * p - d * (k - 1) - 1) / s + 1;
            Assert.Equal(new[] { 2L, 6, h, h }, y.shape);
            Assert.Equal(new long[] { 6, 2, k, k }, conv.weight.shape);
            Assert.Null(conv.bias);
        }
    }

    [Fact]
    public void Conv2dWithBiasAddsItPerChannel()
    {
        using var conv = new Conv2d(1, 2, 1, bias: true);
        using (torch.no_grad())
        {
            conv.weight.fill_(2);
            using var b = torch.tensor(new float[] { 1, -1 });
            conv.bias!.copy_(b);
        }
        using var x = torch.tensor(new float[] { 1, 2, 3, 4 }, [1, 1, 2, 2]);
        using var y = conv.call(x);
        Assert.Equal(new float[] { 3, 5, 7, 9, 1, 3, 5, 7 }, y.data<float>());
    }

    [Fact]
    public void DefaultInitStaysWithinOneOverSqrtFanIn()
    {
        using var conv = new Conv2d(8, 16, 3);
        var bound = 1 / Math.Sqrt(8 * 9);
        using var wmax = conv.weight.abs().max();
        using var bmax = conv.bias!.abs().max();
        Assert.True(wmax.item() <= bound && wmax.item() > 0.8 * bound, $"weight max {wmax.item()} vs bound {bound}");
        Assert.True(bmax.item() <= bound);
    }

    [Fact]
    public void BatchNormTrainingNormalisesAndUpdatesRunningStats()
    {
        using var bn = new BatchNorm2d(3, momentum: 0.1);
        using var x0 = torch.randn([8, 3, 4, 4], generator: new Generator(1));
        using var x = x0 * 3 + 2;
        using var y = bn.call(x);
        using var mean = y.mean([0L, 2, 3]);
        using var variance = y.var([0L, 2, 3], unbiased: false);
        foreach (var m in mean.data<float>()) Assert.True(Math.Abs(m) < 1e-5);
        foreach (var v in variance.data<float>()) Assert.True(Math.Abs(v - 1) < 1e-3);
        // running = 0.9·init + 0.1·batch (unbiased variance for running_var)
        using var batchMean = x.mean([0L, 2, 3]);
        using var batchVar = x.var([0L, 2, 3], unbiased: true);
        using var expectMean = batchMean * 0.1;
        using var expectVar = batchVar * 0.1 + 0.9;
        Assert.True(TensorDiff.MaxAbs(bn.running_mean!, expectMean) < 1e-5);
        Assert.True(TensorDiff.MaxAbs(bn.running_var!, expectVar) < 1e-4);
        Assert.Equal(1, bn.num_batches_tracked!.itemLong());
    }

    [Fact]
    public void BatchNormEvalUsesRunningStatsAndNonAffineHasNoParameters()
    {
        using var bn = new BatchNorm2d(2, affine: false);
        Assert.Empty(bn.parameters());
        Assert.Equal(["running_mean", "running_var", "num_batches_tracked"], bn.named_buffers().Select(e => e.name));
        using (torch.no_grad())
        {
            using var m = torch.tensor(new float[] { 1, -2 });
            using var v = torch.tensor(new float[] { 4, 0.25f });
            bn.running_mean!.copy_(m);
            bn.running_var!.copy_(v);
        }
        bn.eval();
        using var x = torch.tensor(new float[] { 3, 5, -2, -1.5f }, [1, 2, 2, 1]);
        using var y = bn.call(x);
        // (3−1)/2, (5−1)/2, (−2+2)/0.5, (−1.5+2)/0.5 (eps = 1e-5 shifts the 4th decimal at most)
        var got = y.data<float>();
        float[] want = [1, 2, 0, 1];
        for (var i = 0; i < 4; i++) Assert.Equal(want[i], got[i], 1e-3);
        Assert.Equal(0, bn.num_batches_tracked!.itemLong());
    }

    [Fact]
    public void DropoutZeroesAndRescalesInTrainingOnly()
    {
        using var drop = new Dropout(0.25);
        using var x = torch.ones([1000, 100]);
        using var y = drop.call(x);
        var values = y.data<float>();
        var zeros = values.Count(v => v == 0);
        Assert.All(values, v => Assert.True(v == 0 || Math.Abs(v - 1 / 0.75) < 1e-6));
        Assert.InRange(zeros / 1e5, 0.24, 0.26);
        drop.eval();
        using var z = drop.call(x);
        Assert.True(z.equal(x));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.5));
    }

    [Fact]
    public void ActivationsMatchTheirFormulas()
    {
        using var x = torch.tensor(new float[] { -2, -0.5f, 0, 1.5f });
        using var relu = new ReLU();
        using var leaky = new LeakyReLU(0.1);
        using var elu = new ELU(2.0);
        using var a = relu.call(x);
        using var b = leaky.call(x);
        using var c = elu.call(x);
        Assert.Equal(new float[] { 0, 0, 0, 1.5f }, a.data<float>());
        Assert.Equal(new float[] { -0.2f, -0.05f, 0, 1.5f }, b.data<float>());
        var e = c.data<float>();
        Assert.Equal(2 * (Math.Exp(-2) - 1), e[0], 1e-5);
        Assert.Equal(2 * (Math.Exp(-0.5) - 1), e[1], 1e-5);
        Assert.Equal(1.5, e[3], 1e-6);
    }

    [Fact]
    public void PoolsFlattenAndIdentity()
    {
        using var x = torch.arange(0, 16, 1).view(1, 1, 4, 4); // 0..15 row-major
        using var avg = new AvgPool2d(2);
        using var max = new MaxPool2d(2);
        using var gap = new AdaptiveAvgPool2d(1);
        using var flat = new Flatten();
        using var id = new Identity();
        using var a = avg.call(x);
        using var m = max.call(x);
        using var g = gap.call(x);
        using var f = flat.call(x);
        using var i = id.call(x);
        Assert.Equal(new float[] { 2.5f, 4.5f, 10.5f, 12.5f }, a.data<float>());
        Assert.Equal(new float[] { 5, 7, 13, 15 }, m.data<float>());
        Assert.Equal(new long[] { 1, 1, 1, 1 }, g.shape);
        Assert.Equal(7.5f, g.data<float>()[0]);
        Assert.Equal(new long[] { 1, 16 }, f.shape);
        Assert.True(i.equal(x));
        Assert.False(ReferenceEquals(i, x));
    }

    [Fact]
    public void SequentialNamesChildrenInOrderAndChains()
    {
        using var seq = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
        Assert.Equal(["0", "1", "2"], seq.named_children().Select(e => e.name));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], seq.named_parameters().Select(e => e.name));
        using var x = torch.randn([5, 3]);
        using var y = seq.call(x);
        var l0 = (Linear)seq[0];
        var l2 = (Linear)seq[2];
        using var h = l0.call(x);
        using var r = h.relu();
        using var expected = l2.call(r);
        Assert.True(y.allclose(expected));
        Assert.False(x.IsDisposed);
    }

    [Fact]
    public void ScalarBiasAndScaleStartAsIdentityAndLearn()
    {
        using var bias = new ScalarBias();
        using var scale = new ScalarScale();
        using var x = torch.randn([2, 3]);
        using var y = bias.call(x);
        using var z = scale.call(y);
        Assert.True(z.equal(x));
        using var loss = z.sum();
        loss.backward();
        using var gb = bias.bias.grad!;
        using var gs = scale.scale.grad!;
        using var sx = x.sum();
        Assert.Equal(6, gb.item(), 1e-5);
        Assert.Equal(sx.item(), gs.item(), 1e-4);
    }
}
