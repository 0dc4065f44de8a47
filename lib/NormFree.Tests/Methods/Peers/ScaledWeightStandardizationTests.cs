using NormFree.Methods.Peers;
using NormFree.Nn;

namespace NormFree.Tests.Methods.Peers;

public class ScaledWeightStandardizationTests
{
    /// <summary>A standardised layer whose V has a non-zero mean and a large scale and whose gains are random, so
    /// the standardisation has something to remove.</summary>
    static ScaledWeightStandardization Make(nn.Module<Tensor, Tensor> layer, ulong seed)
    {
        var ws = new ScaledWeightStandardization(layer);
        using var g = new Generator(seed);
        using (torch.no_grad())
        {
            ws.weight_v.normal_(0.3, 2.0, g);
            ws.gain.uniform_(0.5, 2.0, g);
        }
        return ws;
    }

    [Theory]
    [MemberData(nameof(Seeds.Three), MemberType = typeof(Seeds))]
    public void EachUnitHasZeroMeanAndVarianceGainSquaredOverFanIn(ulong seed)
    {
        nn.Module<Tensor, Tensor>[] layers = [nn.Conv2d(6, 4, 3, groups: 2), nn.Linear(7, 5)];
        foreach (var layer in layers)
        {
            using var ws = Make(layer, seed);
            using var w = ws.weight();
            var N = ws.fan_in;
            Assert.Equal(layer is Conv2d ? 3 * 9 : 7, N);
            var dims = Enumerable.Range(1, (int)w.dim() - 1).Select(d => (long)d).ToArray();
            using var mean = w.mean(dims);
            using var variance = w.var(dims, unbiased: false);
            var g = ws.gain.data<float>().ToArray();
            var means = mean.data<float>().ToArray();
            var variances = variance.data<float>().ToArray();
            for (var o = 0; o < g.Length; o++)
            {
                Assert.True(Math.Abs(means[o]) < 1e-6, $"unit {o}: mean {means[o]}");
                var expected = g[o] * g[o] / (double)N; // Σ_j Ŵ_oj² = g_o², so the (biased) variance is g_o²/N
                Assert.True(Math.Abs(variances[o] - expected) < 1e-5 * expected, $"unit {o}: variance {variances[o]}, expected {expected}");
            }
        }
    }

    [Fact]
    public void ForwardIsTheLayerWithTheStandardisedWeight()
    {
        using var ws = Make(nn.Conv2d(3, 4, 3, stride: 2, padding: 1), 4);
        using (torch.no_grad()) WeightedLayer.bias(ws.layer)!.uniform_(-1, 1);
        using var x = torch.randn([2, 3, 9, 9]);
        using var y = ws.call(x);
        // The same weight by another road: (V − μ) / (σ·√N) · g with torch's std.
        var v = ws.weight_v;
        long[] dims = [1, 2, 3];
        using var mu = v.mean(dims, keepdim: true);
        using var sigma = v.std(dims, unbiased: false, keepdim: true);
        using var centred = v - mu;
        using var unit = centred / sigma;
        using var scaled = unit / Math.Sqrt(27);
        using var g = ws.gain.view(4, 1, 1, 1);
        using var w = scaled * g;
        using var expected = F.conv2d(x, w, WeightedLayer.bias(ws.layer), [2, 2], [1, 1]);
        Assert.True(y.allclose(expected, 1e-5, 1e-5));
    }

    [Fact]
    public void ConstantUnitGivesZeroWeightNotNaN()
    {
        using var ws = new ScaledWeightStandardization(nn.Linear(3, 2));
        using (torch.no_grad()) ws.weight_v.fill_(0.7); // σ = 0: the floor ε keeps the division finite
        using var w = ws.weight();
        Assert.All(w.data<float>(), e => Assert.Equal(0f, e));
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        using var ws = Make(nn.Conv2d(2, 3, 3, padding: 1), 8);
        ws.to(ScalarType.Float64);
        using var x = torch.randn([2, 2, 5, 5], ScalarType.Float64, generator: new Generator(9));
        Tensor Loss()
        {
            using var y = ws.call(x);
            using var y2 = y * y;
            return y2.sum();
        }
        GradCheck.AssertMatchesFiniteDifferences(Loss, [ws.gain, ws.weight_v, WeightedLayer.bias(ws.layer)!], precision: 5);
    }

    [Fact]
    public void ReluGainGivesUnitVarianceOnStandardNormalInput()
    {
        Assert.Equal(1.712858, ScaledActivation.ReluGain, 1e-5); // √(2 / (1 − 1/π))
        Assert.True(Math.Abs(ScaledActivation.ReluGain / 1.7139588594436646 - 1) < 1e-3); // the reference code's sampled value
        using var z = torch.randn([2_000_000], ScalarType.Float64, generator: new Generator(3));
        using var act = ScaledActivation.relu();
        using var y = act.call(z);
        using var variance = y.var();
        // The variance estimate of 2e6 samples has a relative standard error of about √(Var(y²)/N) ≈ 0.2 %.
        Assert.InRange(variance.ToDouble(), 0.99, 1.01);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScaledActivation(nn.ReLU(), 0));
    }
}
