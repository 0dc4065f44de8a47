using NormFree.Init;
using NormFree.Methods.MeanShiftRejection;
using NormFree.Nn;

namespace NormFree.Tests.Methods;

/// <summary>The invariants of Ruff et al. (2019), §3, on random kernels and inputs over several seeds.</summary>
public class MeanShiftRejectionTests
{
    static readonly long[] Spatial = [2, 3];

    [Theory]
    [InlineData(1UL, 16L, 8L, 3L)]
    [InlineData(2UL, 32L, 16L, 3L)]
    [InlineData(3UL, 4L, 3L, 5L)]
    public void CzmiMakesEverySliceZeroMeanAndEveryFilterUnitNorm(ulong seed, long cOut, long cIn, long k)
    {
        using var gen = new Generator(seed);
        using var v = torch.empty([cOut, cIn, k, k]);
        msr.czm_init_(v, gen);
        using var sliceMeans = v.mean(Spatial); // (C_out, C_in)
        Assert.All(sliceMeans.data<float>(), m => Assert.True(Math.Abs(m) < 1e-6, $"slice mean {m}"));
        using var norms = msr.filter_norms(v); // (C_out)
        Assert.All(norms.data<float>(), n => Assert.Equal(1.0, n, 6));
        using var spread = v.std();
        Assert.True(spread.ToDouble() > 0.1 / k, "the kernel is not a constant"); // U(−1, 1) entries, scaled by ~1/√(C_in·k²)
        Assert.Equal(0.0, msr.common_mode_fraction(v), 1e-6);
    }

    [Fact]
    public void CzmiRejectsPointwiseAndNonConvShapes()
    {
        using var pointwise = torch.empty([4, 3, 1, 1]);
        Assert.Contains("[4, 3, 1, 1]", Assert.Throws<ArgumentException>(() => msr.czm_init_(pointwise)).Message);
        using var linear = torch.empty([4, 3]);
        Assert.Contains("[4, 3]", Assert.Throws<ArgumentException>(() => msr.czm_init_(linear)).Message);
        using var grad = torch.empty([4, 3]);
        Assert.Throws<ArgumentException>(() => msr.zero_mean_gradient(grad, 0.85));
    }

    [Fact]
    public void UnitUniformGivesUnitFiltersThatAreNotZeroMean()
    {
        using var gen = new Generator(4);
        using var v = torch.empty([8, 1, 3, 3]);
        msr.unit_uniform_(v, gen);
        using var norms = msr.filter_norms(v);
        Assert.All(norms.data<float>(), n => Assert.Equal(1.0, n, 6));
        Assert.True(msr.common_mode_fraction(v) > 0.05);
    }

    /// <summary>A 3×3 "same" conv with a CZMI kernel.</summary>
    static Conv2d CzmConv(long cIn, long cOut, Generator gen)
    {
        var conv = nn.Conv2d(cIn, cOut, 3, padding: 1);
        msr.czm_init_(conv.weight, gen);
        return conv;
    }

    [Theory]
    [InlineData(0.0, 1UL)]
    [InlineData(0.85, 2UL)]
    [InlineData(0.98, 3UL)]
    [InlineData(1.0, 4UL)]
    public void CzmgScalesTheSpatialMeanComponentByOneMinusZ(double z, ulong seed)
    {
        using var gen = new Generator(seed);
        using var grad = torch.randn([6, 5, 3, 3], ScalarType.Float64, generator: gen);
        using var shift = torch.randn([6, 5, 1, 1], ScalarType.Float64, generator: gen);
        using var g = grad + shift; // a gradient with a sizeable common-mode part
        using var adjusted = msr.zero_mean_gradient(g, z);
        // Decompose G = M + R: M = each slice's mean at every position, R = G − M (zero-mean slices).
        using var m = g.mean(Spatial, keepdim: true);
        using var r = g - m;
        using var mAdjusted = adjusted.mean(Spatial, keepdim: true);
        using var rAdjusted = adjusted - mAdjusted;
        using var expectedMean = m * (1 - z);
        Assert.True(mAdjusted.allclose(expectedMean, 0, 1e-14), "the mean component is not scaled by 1 − z");
        Assert.True(rAdjusted.allclose(r, 0, 1e-14), "the zero-mean component changed");
        Assert.Throws<ArgumentOutOfRangeException>(() => msr.zero_mean_gradient(g, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => msr.zero_mean_gradient(g, -0.1));
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void ZeroMeanGradientsWithZOneKeepSgdOnTheIsocline(ulong seed)
    {
        using var gen = new Generator(seed);
        using var conv = CzmConv(4, 6, gen);
        var czmg = new ZeroMeanGradients([conv.weight], 1.0);
        using var target = torch.randn([2, 6, 7, 7], generator: gen);
        using var drift = nn.Conv2d(4, 6, 3, padding: 1);
        for (var step = 0; step < 5; step++)
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.randn([2, 4, 7, 7], generator: gen) + 3; // inputs with a large mean, so ∇V has one too
            var loss = F.mse_loss(conv.call(x), target);
            conv.zero_grad();
            loss.backward();
            czmg.apply();
            using var _ = torch.no_grad();
            using var grad = conv.weight.grad!;
            conv.weight.add_(grad, alpha: -0.1); // plain SGD
        }
        Assert.True(msr.common_mode_fraction(conv.weight) < 1e-6, $"z = 1 drifted off the isocline: {msr.common_mode_fraction(conv.weight)}");
        Assert.Throws<ArgumentException>(() => new ZeroMeanGradients([drift.bias!], 0.85));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZeroMeanGradients([drift.weight], 2));
    }

    [Fact]
    public void LumaMatchesTheFormulaAndFiniteDifferences()
    {
        using var gen = new Generator(5);
        using var a = torch.randn([3, 2, 3, 3], ScalarType.Float64, generator: gen);
        using var b = torch.randn([4, 5], ScalarType.Float64, generator: gen);
        a.requires_grad = true;
        b.requires_grad = true;
        const double lambda = 5e-4;
        Tensor Loss() => msr.luma([a, b], lambda);
        // By hand: λ Σ_f (‖V_f‖ − 1)² over the 3 filters of a and the 4 rows of b.
        double Hand()
        {
            var total = 0.0;
            foreach (var (t, filters) in new[] { (a, 3), (b, 4) })
            {
                var values = t.data<double>().ToArray();
                var per = values.Length / filters;
                for (var f = 0; f < filters; f++)
                {
                    var norm = Math.Sqrt(values.Skip(f * per).Take(per).Sum(x => x * x));
                    total += (norm - 1) * (norm - 1);
                }
            }
            return lambda * total;
        }
        using (var loss = Loss()) Assert.Equal(Hand(), loss.ToDouble(), 1e-15);
        GradCheck.AssertMatchesFiniteDifferences(Loss, [a, b], precision: 9);
        Assert.Throws<ArgumentException>(() => msr.luma([], lambda));
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void NoiseIsIdentityInEvalAndUnitMeanPerSampleAndChannelInTraining(ulong seed)
    {
        torch.manual_seed((long)seed);
        using var noise = new MultiplicativeNoise(0.1);
        using var u = torch.rand([256, 64, 3, 3]);
        using var x = u + 0.5; // positive, so y / x is the factor
        noise.eval();
        using (var y = noise.call(x)) Assert.True(y.Equals(x));
        noise.train();
        using var yTrain = noise.call(x);
        using var factor = yTrain / x;
        using var perPosition = factor.std(Spatial); // (B, C): constant over positions
        Assert.True(perPosition.max().ToDouble() < 1e-6);
        using var min = factor.min();
        using var max = factor.max();
        Assert.InRange(min.ToDouble(), 0.9 - 1e-6, 0.92);
        Assert.InRange(max.ToDouble(), 1.08, 1.1 + 1e-6);
        using var mean = factor.mean();
        Assert.Equal(1.0, mean.ToDouble(), 1e-2); // 16,384 draws of U(0.9, 1.1): standard error 0.00045
        using var spread = factor.std();
        Assert.Equal(0.2 / Math.Sqrt(12), spread.ToDouble(), 1e-2); // std of U(1 − a, 1 + a) = 2a/√12
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiplicativeNoise(1.5));
        using var flat = torch.ones([3]);
        Assert.Throws<ArgumentException>(() => noise.call(flat));
    }

    /// <summary>Issue 6, acceptance 2: Σ_i W_{f,c,i} = 0 cancels a per-channel constant S_c everywhere the kernel
    /// sees no zero padding (§2); at the borders the padding breaks the constant, and a He conv is moved everywhere.</summary>
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void ZeroMeanConvRejectsAPerChannelMeanShiftAwayFromThePaddedBorder(ulong seed)
    {
        using var gen = new Generator(seed);
        using var czm = CzmConv(8, 16, gen);
        using var he = nn.Conv2d(8, 16, 3, padding: 1);
        init.kaiming_normal_(he.weight, nonlinearity: "relu", generator: gen);
        using var x = torch.randn([2, 8, 12, 12], generator: gen);
        using var shift = torch.empty([1, 8, 1, 1]);
        shift.uniform_(-3, 3, gen); // S_c
        var (interior, border) = msr.mean_shift_response(czm, x, shift);
        Assert.True(interior < 1e-5, $"CZM interior moved by {interior}");
        Assert.True(border > 1e-2, $"CZM border moved by only {border}");
        var (heInterior, _) = msr.mean_shift_response(he, x, shift);
        Assert.True(heInterior > 0.1, $"He interior moved by only {heInterior}");
    }
}
