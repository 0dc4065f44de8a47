using NormFree.Nn;
using NormFree.Torch;

namespace NormFree.Tests.Torch;

/// <summary>Forward values of wrappers against hand computation (their gradients: <see cref="GradCheckTests"/>).</summary>
public class WrapperTests
{
    static Tensor Rows(int n) => torch.arange(n * 2L).view(n, 2);

    [Fact]
    public void RangeIndexingSlicesLikePython()
    {
        using var x = Rows(5);                                             // rows [0,1], [2,3], ... [8,9]
        using (var a = x[1..3]) Assert.Equal(new long[] { 2, 3, 4, 5 }, a.data<long>());
        using (var b = x[^2..]) Assert.Equal(new long[] { 6, 7, 8, 9 }, b.data<long>());
        using (var c = x[..]) Assert.Equal(x.data<long>(), c.data<long>());
        using (var d = x[..^4]) Assert.Equal(new long[] { 0, 1 }, d.data<long>());
        using (var e = x[^0..]) Assert.Equal(new long[] { 0, 2 }, e.shape);
    }

    [Fact]
    public void NllLossOfLogSoftmaxIsCrossEntropy()
    {
        using var logits = torch.tensor(new double[] { 1, 2, 3, 0, -1, 4 }, [2, 3]);
        using var target = torch.tensor(new long[] { 2, 0 });
        using var logp = F.log_softmax(logits, 1);
        using var nll = F.nll_loss(logp, target);
        using var ce = F.cross_entropy(logits, target);
        // −½(log softmax(1,2,3)[2] + log softmax(0,−1,4)[0]), written out.
        var expected = -0.5 * (3 - Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)) + 0 - Math.Log(1 + Math.Exp(-1) + Math.Exp(4)));
        Assert.Equal(expected, nll.item(), 1e-12);
        Assert.Equal(expected, ce.item(), 1e-12);
    }

    [Fact]
    public void MmAndBmmMultiplyMatrices()
    {
        using var a = torch.tensor(new double[] { 1, 2, 3, 4 }, [2, 2]);
        using var b = torch.tensor(new double[] { 5, 6, 7, 8 }, [2, 2]);
        using (var p = torch.mm(a, b)) Assert.Equal(new double[] { 19, 22, 43, 50 }, p.data<double>());
        using var a3 = torch.stack([a, b]);
        using var b3 = torch.stack([b, a]);
        using var q = torch.bmm(a3, b3);
        Assert.Equal(new double[] { 19, 22, 43, 50, 23, 34, 31, 46 }, q.data<double>());
    }

    [Fact]
    public void BatchNormTrainingUpdatesRunningStatisticsAndEvalUsesThem()
    {
        // One channel, batch values 1..4: mean 2.5, biased variance 1.25, unbiased 5/3.
        using var x = torch.tensor(new double[] { 1, 2, 3, 4 }, [4, 1, 1, 1]);
        using var mean = torch.zeros([1], DType.Float64);
        using var var = torch.ones([1], DType.Float64);
        using var y = F.batch_norm(x, mean, var, training: true, momentum: 0.1, eps: 0);
        var scale = 1 / Math.Sqrt(1.25);
        Assert.Equal(new[] { -1.5 * scale, -0.5 * scale, 0.5 * scale, 1.5 * scale }, y.data<double>(), new Tolerance(1e-12));
        Assert.Equal(0.1 * 2.5, mean.item(), 1e-12);                       // (1 − m)·0 + m·2.5
        Assert.Equal(0.9 + 0.1 * 5.0 / 3.0, var.item(), 1e-12);            // running variance takes the unbiased one
        using var z = F.batch_norm(x, mean, var, training: false, eps: 0);
        var s = Math.Sqrt(var.item());
        Assert.Equal((1 - mean.item()) / s, z.data<double>()[0], 1e-12);
    }

    [Fact]
    public void ReflectPadMirrorsWithoutTheEdge()
    {
        using var x = torch.tensor(new double[] { 1, 2, 3 }, [1, 1, 1, 3]);
        using var r = F.pad(x, [2, 1, 0, 0], "reflect");
        Assert.Equal(new double[] { 3, 2, 1, 2, 3, 2 }, r.data<double>());
        using var c = F.pad(x, [1, 0, 0, 0], "constant", 7);
        Assert.Equal(new double[] { 7, 1, 2, 3 }, c.data<double>());
    }

    [Fact]
    public void ReductionsWithDimsAndKeepdim()
    {
        using var x = torch.tensor(new double[] { 1, 5, 3, 4, 2, 6 }, [2, 3]);
        using (var s = x.std(1, keepdim: true))
        {
            Assert.Equal(new long[] { 2, 1 }, s.shape);
            Assert.Equal(new[] { 2.0, 2.0 }, s.data<double>(), new Tolerance(1e-12));
        }
        using (var a = x.argmax(1)) Assert.Equal(new long[] { 1, 2 }, a.data<long>());
        using (var n = x.norm(1, [0L])) Assert.Equal(new double[] { 5, 7, 9 }, n.data<double>());
        using (var l = x.logsumexp(0)) Assert.Equal(Math.Log(Math.Exp(1) + Math.Exp(4)), l.data<double>()[0], 1e-12);
        using var mask = x.gt(3);
        using (var m = x.masked_fill(mask, -1)) Assert.Equal(new double[] { 1, -1, 3, -1, 2, -1 }, m.data<double>());
    }

    sealed class Tolerance(double eps) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= eps;
        public int GetHashCode(double v) => 0;
    }
}
