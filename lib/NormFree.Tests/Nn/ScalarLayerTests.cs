using NormFree.Nn;

namespace NormFree.Tests.Nn;

/// <summary>ScalarBias (y = x + b, b starts at 0) and ScalarScale (y = s·x, s starts at its initial value).</summary>
public class ScalarLayerTests
{
    [Fact]
    public void BiasAndUnitScaleStartAsIdentityAndLearnTheirGradients()
    {
        using var bias = new ScalarBias();
        using var scale = new ScalarScale();
        using var x = torch.randn([2, 3], generator: new Generator(1));
        using var y = bias.call(x);
        using var z = scale.call(y);
        Assert.True(TensorDiff.Identical(z, x));
        Assert.Equal(["bias"], bias.named_parameters().Select(e => e.name));
        Assert.Equal(["scale"], scale.named_parameters().Select(e => e.name));
        using var loss = z.sum();
        loss.backward();
        using var gb = bias.bias.grad!;
        using var gs = scale.scale.grad!;
        using var sx = x.sum();
        Assert.Equal(6, gb.item<float>(), 1e-5);                  // ∂Σ(x + b)/∂b = number of elements
        Assert.Equal(sx.item<float>(), gs.item<float>(), 1e-4);   // ∂Σ s·x/∂s = Σ x
    }

    [Fact]
    public void ResetReturnsToTheInitialValue()
    {
        using var bias = new ScalarBias();
        using var scale = new ScalarScale(initial: 0);          // SkipInit's α
        using (torch.no_grad())
        {
            bias.bias.fill_(2.5);
            scale.scale.fill_(-1);
        }
        bias.reset_parameters();
        scale.reset_parameters();
        Assert.Equal(0, bias.bias.item<float>());
        Assert.Equal(0, scale.scale.item<float>());
        using var x = torch.ones([4]);
        using var y = scale.call(x);
        Assert.Equal(0, y.abs().max().item<float>());
    }

    [Fact]
    public void GradientsMatchFiniteDifferencesInFloat64()
    {
        using var bias = new ScalarBias();
        using var scale = new ScalarScale(initial: 0.7);
        bias.to(float64);
        scale.to(float64);
        Assert.Equal(ScalarType.Float64, bias.bias.dtype);          // the properties follow the module to float64
        Assert.Equal(ScalarType.Float64, scale.scale.dtype);
        using (torch.no_grad()) bias.bias.fill_(0.3);
        using var x = torch.randn([3, 4], float64, generator: new Generator(2));
        Tensor Loss()
        {
            using var b = bias.call(x);
            using var s = scale.call(b);
            using var cube = s.pow(3);                               // non-linear, so the gradient depends on b and s
            return cube.sum();
        }
        GradCheck.AssertMatchesFiniteDifferences(Loss, [bias.bias, scale.scale], precision: 5);
    }
}
