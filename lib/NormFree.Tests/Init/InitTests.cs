using NormFree.Init;

namespace NormFree.Tests.Init;

public class InitTests
{
    static (double mean, double var, double min, double max) Stats(Tensor t)
    {
        using var m = t.mean();
        using var v = t.var();
        using var lo = t.min();
        using var hi = t.max();
        return (m.ToDouble(), v.ToDouble(), lo.ToDouble(), hi.ToDouble());
    }

    [Fact]
    public void FansAndGains()
    {
        using var conv = torch.empty([16, 8, 3, 3]);
        using var lin = torch.empty([10, 64]);
        using var vec = torch.empty([5]);
        Assert.Equal((72L, 144L), init.calculate_fan_in_and_fan_out(conv));
        Assert.Equal((64L, 10L), init.calculate_fan_in_and_fan_out(lin));
        Assert.Equal(144L, init.calculate_fan(conv, "fan_out"));
        Assert.Throws<ArgumentException>(() => init.calculate_fan_in_and_fan_out(vec));
        Assert.Throws<ArgumentException>(() => init.calculate_fan(conv, "fan_avg"));
        Assert.Equal(Math.Sqrt(2), init.calculate_gain("relu"), 1e-12);
        Assert.Equal(1.0, init.calculate_gain("conv2d"));
        Assert.Equal(5.0 / 3, init.calculate_gain("tanh"), 1e-12);
        Assert.Equal(Math.Sqrt(2 / (1 + 0.01 * 0.01)), init.calculate_gain("leaky_relu"), 1e-12);
        Assert.Equal(Math.Sqrt(2 / 1.04), init.calculate_gain("leaky_relu", 0.2), 1e-12);
        Assert.Throws<ArgumentException>(() => init.calculate_gain("swish"));
    }

    [Fact]
    public void PlainFills()
    {
        using var t = torch.empty([200, 500]);
        init.uniform_(t, -0.3, 0.7, new Generator(1));
        var u = Stats(t);
        Assert.True(u.min >= -0.3 && u.max <= 0.7 && u.min < -0.29 && u.max > 0.69);
        Assert.Equal(0.2, u.mean, 1e-2);
        Assert.Equal(1.0 / 12, u.var, 1e-3); // (b − a)² / 12
        init.normal_(t, 2, 0.5, new Generator(2));
        var n = Stats(t);
        Assert.Equal(2, n.mean, 1e-2);
        Assert.Equal(0.25, n.var, 1e-2);
        init.constant_(t, 3.5);
        Assert.Equal((3.5, 3.5), (Stats(t).min, Stats(t).max));
        init.zeros_(t);
        Assert.Equal(0, Stats(t).max);
        init.ones_(t);
        Assert.Equal(1, Stats(t).min);
    }

    [Theory]
    [InlineData("fan_in", "relu", 0.0)]
    [InlineData("fan_out", "relu", 0.0)]
    [InlineData("fan_in", "leaky_relu", 0.2)]
    public void KaimingVarianceIsGainSquaredOverFan(string mode, string nonlinearity, double a)
    {
        using var w = torch.empty([256, 128, 3, 3]); // 295k entries: sample variance within ~0.5 %
        var fan = mode == "fan_in" ? 128 * 9 : 256 * 9;
        var gain = init.calculate_gain(nonlinearity, a);
        var expected = gain * gain / fan;
        init.kaiming_normal_(w, a, mode, nonlinearity, new Generator(3));
        var n = Stats(w);
        Assert.InRange(n.var / expected, 0.98, 1.02);
        Assert.InRange(Math.Abs(n.mean), 0, 0.01 * Math.Sqrt(expected));
        init.kaiming_uniform_(w, a, mode, nonlinearity, new Generator(4));
        var u = Stats(w);
        var bound = gain * Math.Sqrt(3.0 / fan);
        Assert.InRange(u.var / expected, 0.98, 1.02);
        Assert.True(u.min >= -bound && u.max <= bound && u.max > 0.99 * bound);
    }

    [Fact]
    public void XavierVarianceIsTwoOverFanSum()
    {
        using var w = torch.empty([300, 700]);
        init.xavier_normal_(w, 2.0, new Generator(5));
        Assert.InRange(Stats(w).var / (4 * 2.0 / 1000), 0.98, 1.02);
        init.xavier_uniform_(w, 1.0, new Generator(6));
        var u = Stats(w);
        var bound = Math.Sqrt(6.0 / 1000);
        Assert.True(u.min >= -bound && u.max <= bound && u.max > 0.99 * bound);
        Assert.InRange(u.var / (2.0 / 1000), 0.98, 1.02);
    }

    [Fact]
    public void DefaultInitIsUniformOverOneOverSqrtFanIn()
    {
        using var w = torch.empty([64, 32, 3, 3]);
        using var b = torch.empty([64]);
        init.default_(w, b, new Generator(7));
        var bound = 1 / Math.Sqrt(32 * 9);
        var sw = Stats(w);
        var sb = Stats(b);
        Assert.True(sw.min >= -bound && sw.max <= bound && sw.max > 0.99 * bound);
        Assert.InRange(sw.var / (bound * bound / 3), 0.97, 1.03); // U(±c) has variance c²/3
        Assert.True(sb.min >= -bound && sb.max <= bound);
    }

    [Fact]
    public void GeneratorMakesInitReproducible()
    {
        using var a = torch.empty([10, 10]);
        using var b = torch.empty([10, 10]);
        init.orthogonal_(a, generator: new Generator(42));
        init.orthogonal_(b, generator: new Generator(42));
        Assert.True(TensorDiff.Identical(a, b));
        init.kaiming_normal_(b, generator: new Generator(43));
        Assert.False(TensorDiff.Identical(a, b));
    }

    [Theory]
    [InlineData(8L, 8L, 1L, 1UL)]    // square
    [InlineData(20L, 6L, 1L, 2UL)]   // rows > cols: orthonormal columns
    [InlineData(6L, 4L, 3L, 3UL)]    // conv, rows (6) < cols (36): orthonormal rows
    [InlineData(64L, 4L, 3L, 4UL)]   // conv, rows (64) > cols (36)
    public void OrthogonalGivesOrthonormalRowsOrColumns(long rows, long inChannels, long k, ulong seed)
    {
        long[] shape = k == 1 ? [rows, inChannels] : [rows, inChannels, k, k];
        using var w = torch.empty(shape, float64);
        const double gain = 1.5;
        init.orthogonal_(w, gain, new Generator(seed));
        using var m = w.reshape(rows, -1);
        var cols = m.size(1);
        using var mt = m.t();
        using var gram = rows <= cols ? m.mm(mt) : mt.mm(m); // W Wᵀ or Wᵀ W
        using var eye = torch.eye(Math.Min(rows, cols), dtype: float64);
        using var target = eye * (gain * gain);
        Assert.True(TensorDiff.MaxAbs(gram, target) < 1e-10);
    }

    [Fact]
    public void OrthogonalRejectsVectors()
    {
        using var v = torch.empty([5]);
        Assert.Throws<ArgumentException>(() => init.orthogonal_(v));
    }

    [Theory]
    [InlineData(16L, 8L, 1UL)]
    [InlineData(8L, 16L, 2UL)]
    public void DeltaOrthogonalIsOrthogonalAtTheCentreAndZeroElsewhere(long cOut, long cIn, ulong seed)
    {
        using var w = torch.empty([cOut, cIn, 3, 3], float64);
        init.delta_orthogonal_(w, 2.0, new Generator(seed));
        using var column = w.select(3, 1);
        using var centre = column.select(2, 1); // (C_out, C_in)
        using var ct = centre.t();
        using var gram = cOut <= cIn ? centre.mm(ct) : ct.mm(centre);
        using var eye = torch.eye(Math.Min(cOut, cIn), dtype: float64);
        using var target = eye * 4.0;
        Assert.True(TensorDiff.MaxAbs(gram, target) < 1e-10);
        using var sq = w * w;
        using var total = sq.sum();
        using var centreSq = centre * centre;
        using var centreTotal = centreSq.sum();
        Assert.Equal(centreTotal.ToDouble(), total.ToDouble(), 1e-10); // all mass at the centre: zeros elsewhere
        using var even = torch.empty([4, 4, 2, 2]);
        Assert.Throws<ArgumentException>(() => init.delta_orthogonal_(even));
    }

    [Fact]
    public void InitializersDoNotRecordGradients()
    {
        using var w = torch.empty([4, 4]).requires_grad_();
        init.orthogonal_(w);
        init.kaiming_uniform_(w);
        Assert.True(w.is_leaf);
        Assert.Null(w.grad);
    }
}
