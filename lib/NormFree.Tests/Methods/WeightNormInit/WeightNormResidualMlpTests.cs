using NormFree.Methods.WeightNormInit;
using NormFree.Models;

namespace NormFree.Tests.Methods.WeightNormInit;

public class WeightNormResidualMlpTests
{
    /// <summary>Arpit et al. (2019), §4 on the fully connected synthetic ResNet of Fig. 1: with the proposed init each
    /// block adds ‖h‖²/B, so ‖h^B‖/‖h⁰‖ ≈ √((1 + 1/B)^B) (width 1000: within 5% on every seed); g = 1 adds ‖h‖²/2
    /// per block instead, √(1.5^B).</summary>
    [Theory]
    [MemberData(nameof(Seeds.Three), MemberType = typeof(Seeds))]
    public void ProposedInitGrowsTheStreamBySqrtOfOnePlusOneOverBToTheB(ulong seed)
    {
        const int blocks = 10;
        using var gen = new Generator(seed);
        using var x = torch.randn([64, 300], generator: gen);
        using var _ = torch.no_grad();
        using var proposed = WeightNormResidualMlp.Build(300, 1000, blocks, WeightNormScheme.Proposed, generator: gen);
        using var y = proposed.call(x);
        Assert.Equal(x.shape, y.shape);
        Assert.Equal(Math.Sqrt(Math.Pow(1 + 1.0 / blocks, blocks)), (y.norm() / x.norm()).ToDouble(), 0.05 * 1.6);
        using var unit = WeightNormResidualMlp.Build(300, 1000, blocks, WeightNormScheme.UnitGain, generator: gen);
        using var z = unit.call(x);
        Assert.Equal(Math.Sqrt(Math.Pow(1.5, blocks)), (z.norm() / x.norm()).ToDouble(), 0.1 * 7.6);
    }

    [Fact]
    public void TheBlockIsHPlusFc2OfReluOfFc1AndEveryLayerGetsItsRole()
    {
        using var gen = new Generator(5);
        using var net = WeightNormResidualMlp.Build(20, 30, 4, WeightNormScheme.Proposed, generator: gen);
        var block = Assert.IsType<WeightNormDenseBlock>(net.children().Last());
        Assert.Equal(4, net.children().Count());
        // γ = 2 for fc1 (20 → 30), γ = 1/B for fc2 (30 → 20): g = √(γ·fan_in/fan_out).
        Assert.All(block.fc1.weight_g.data<float>().ToArray(), g => Assert.Equal(Math.Sqrt(2 * 20 / 30.0), g, 1e-5));
        Assert.All(block.fc2.weight_g.data<float>().ToArray(), g => Assert.Equal(Math.Sqrt(0.25 * 30 / 20.0), g, 1e-5));
        using var x = torch.randn([3, 20], generator: gen);
        using var _ = torch.no_grad();
        using var y = block.call(x);
        using var a = block.fc1.call(x);
        using var r = a.relu();
        using var f = block.fc2.call(r);
        using var expected = x + f;
        Assert.True(y.allclose(expected, 1e-5, 1e-6));
        Assert.Throws<ArgumentException>(() => block.call(torch.randn([3, 21])));
    }

    [Fact]
    public void DataDependentInitNeedsABatchAndNormalisesEveryLayer()
    {
        using var gen = new Generator(2);
        Assert.Throws<ArgumentException>(() => WeightNormResidualMlp.Build(8, 8, 2, WeightNormScheme.DataDependent));
        using var x = torch.randn([256, 8], generator: gen);
        using var net = WeightNormResidualMlp.Build(8, 16, 2, WeightNormScheme.DataDependent, init_batch: x, generator: gen);
        var first = (WeightNormDenseBlock)net.children().First();
        using var _ = torch.no_grad();
        using var a = first.fc1.call(x);                 // normalised on the init batch
        Assert.Equal(0, a.mean([0L]).abs().max().ToDouble(), 1e-4);
        Assert.Equal(1, a.std([0L], unbiased: false).mean().ToDouble(), 1e-3);
    }
}
