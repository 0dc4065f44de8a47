using NormFree.Nn;

namespace NormFree.Tests.Nn;

public class WeightNormTests
{
    [Fact]
    public void NormalizedModeStartsEqualToThePlainLayer()
    {
        var conv = nn.Conv2d(3, 5, 3, padding: 1);
        using var plainWeight = conv.weight.clone();
        using var wn = new WeightNorm(conv);
        using var w = wn.weight();
        Assert.True(w.allclose(plainWeight, 1e-5, 1e-6));
        Assert.Equal(["weight_g", "layer.weight", "layer.bias"], wn.named_parameters().Select(e => e.name));
        Assert.Equal([5L], wn.weight_g.shape);
    }

    [Theory]
    [MemberData(nameof(Seeds.Three), MemberType = typeof(Seeds))]
    public void NormalizedWeightHasNormGPerUnitWhateverV(ulong seed)
    {
        using var gen = new Generator(seed);
        using var wn = new WeightNorm(nn.Conv2d(4, 6, 3, bias: false), WeightNormMode.Normalized, initial_gain: 1.7);
        using (torch.no_grad())
        {
            using var v = torch.randn([6, 4, 3, 3], generator: gen);
            using var v5 = v * 5;
            wn.weight_v.copy_(v5);
        }
        using var w = wn.weight();
        using var norms = torch.linalg.vector_norm(w, 2, [1L, 2, 3]);
        Assert.All(norms.data<float>().ToArray(), n => Assert.Equal(1.7, n, 1e-4));
    }

    /// <summary>A wrapped conv keeps its padding mode: with g = ‖V‖ (W = V) the weight-normalised circular conv
    /// computes exactly what the plain circular conv does, and differs from zero padding at the border.</summary>
    [Theory]
    [InlineData(PaddingModes.Circular)]
    [InlineData(PaddingModes.Reflect)]
    public void WrappedConvKeepsItsPaddingMode(PaddingModes mode)
    {
        using var gen = new Generator(3);
        var conv = nn.Conv2d(3, 4, 3, stride: 2, padding: 1, padding_mode: mode, dtype: float64);
        using var x = torch.randn([2, 3, 6, 6], float64, generator: gen);
        using var plain = conv.call(x);
        using var zeros = F.conv2d(x, conv.weight, conv.bias, [2L, 2L], [1L, 1L]);
        using var wn = new WeightNorm(conv);
        using var y = wn.call(x);
        Assert.True(y.allclose(plain, 1e-10, 1e-12));
        Assert.False(y.allclose(zeros, 1e-6, 1e-8));
        using var folded = wn.fold();
        using var z = folded.call(x);
        Assert.True(z.allclose(plain, 1e-10, 1e-12));
    }

    [Fact]
    public void ExponentialModeScalesVByEToTheG()
    {
        var lin = nn.Linear(4, 3);
        using var v = lin.weight.clone();
        using var wn = new WeightNorm(lin, WeightNormMode.Exponential, initial_gain: 0.8);
        Assert.All(wn.weight_g.data<float>().ToArray(), g => Assert.Equal(Math.Log(0.8), g, 1e-6));
        using var w = wn.weight();
        using var expected = v * 0.8;
        Assert.True(w.allclose(expected, 1e-5, 1e-7));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeightNorm(nn.Linear(2, 2), WeightNormMode.Exponential, 0));
    }

    /// <summary>∂/∂g and ∂/∂V of Σ y², float64, by central differences (the layers are built in float64, so the module's
    /// own parameters are the ones perturbed).</summary>
    [Theory]
    [InlineData(WeightNormMode.Normalized, false)]
    [InlineData(WeightNormMode.Exponential, false)]
    [InlineData(WeightNormMode.Normalized, true)]
    [InlineData(WeightNormMode.Exponential, true)]
    public void GradientsMatchFiniteDifferences(WeightNormMode mode, bool conv)
    {
        using var g = new Generator(7);
        nn.Module<Tensor, Tensor> layer = conv ? nn.Conv2d(2, 3, 3, stride: 2, padding: 1, dtype: float64) : nn.Linear(3, 2, dtype: float64);
        using var wn = new WeightNorm(layer, mode, initial_gain: 1.3);
        Assert.Equal(ScalarType.Float64, wn.weight_g.dtype);
        using var x = conv ? torch.randn([2, 2, 5, 5], float64, generator: g) : torch.randn([4, 3], float64, generator: g);
        Tensor Loss()
        {
            using var y = wn.call(x);
            using var y2 = y * y;
            return y2.sum();
        }
        GradCheck.AssertMatchesFiniteDifferences(Loss, [wn.weight_g, wn.weight_v], precision: 5);
    }

    [Theory]
    [InlineData(WeightNormMode.Normalized)]
    [InlineData(WeightNormMode.Exponential)]
    public void FoldGivesAPlainLayerWithTheSameOutput(WeightNormMode mode)
    {
        using var wn = new WeightNorm(nn.Conv2d(2, 4, 3, stride: 2, padding: 1), mode, initial_gain: 0.8);
        using var x = torch.randn([3, 2, 9, 9], generator: new Generator(9));
        using var y = wn.call(x);
        using var plain = wn.fold();
        Assert.IsType<Conv2d>(plain);
        Assert.Equal(["weight", "bias"], plain.named_parameters().Select(e => e.name));
        using var z = plain.call(x);
        Assert.True(y.allclose(z, 1e-5, 1e-6));
    }

    [Fact]
    public void WrapsOnlyLinearAndConv2d()
    {
        var e = Assert.Throws<ArgumentException>(() => new WeightNorm(nn.ReLU()));
        Assert.Contains("Linear or Conv2d", e.Message);
    }
}
