namespace NormFree.Tests;

/// <summary>The gradient checker itself: it passes a correct gradient and catches a wrong one, so a green gradient
/// check elsewhere means something.</summary>
public class GradCheckTests
{
    [Theory]
    [MemberData(nameof(Seeds.Three), MemberType = typeof(Seeds))]
    public void AcceptsAutogradsGradientOfAStridedConv(ulong seed)
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(seed);
        var input = torch.randn([2, 2, 5, 5], float64, generator: g);
        var weight = torch.randn([3, 2, 3, 3], float64, generator: g);
        var (error, report) = GradCheck.Check(x => F.conv2d(x[0], x[1], strides: [2], padding: [1]), [input, weight], seed);
        Assert.True(error < GradCheck.DefaultTolerance, report);
    }

    [Fact]
    public void CatchesAWrongGradient()
    {
        // x·detach(x) has gradient x, not 2x: the checker must see the difference.
        using var x = torch.randn([4], float64, generator: new Generator(5));
        var (error, _) = GradCheck.Check(v => { using var d = v[0].detach(); return v[0] * d; }, [x]);
        Assert.True(error > 0.1, $"error {error}");
    }

    [Fact]
    public void AnInputTheFunctionIgnoresHasZeroGradientInsteadOfANativeError()
    {
        using var scope = torch.NewDisposeScope();
        var used = torch.randn([3], float64, generator: new Generator(6));
        var ignored = torch.randn([2], float64, generator: new Generator(7));
        var (error, report) = GradCheck.Check(x => x[0].exp(), [used, ignored]);
        Assert.True(error < GradCheck.DefaultTolerance, report);
    }

    [Fact]
    public void RefusesFloat32Inputs()
    {
        using var x = torch.randn([3]);
        Assert.Throws<ArgumentException>(() => GradCheck.Check(v => v[0] * 2, [x]));
    }

    [Fact]
    public void FiniteDifferencesOfAClosureCatchAWrongGradient()
    {
        using var p = torch.tensor(new[] { 0.5, -1.0, 2.0 }, float64).requires_grad_();
        // The loss is Σ p³ but its graph says Σ p²·detach(p): autograd gives p², the true gradient is 3p².
        Tensor Wrong() { using var d = p.detach(); using var sq = p * p; using var t = sq * d; return t.sum(); }
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => GradCheck.AssertMatchesFiniteDifferences(Wrong, [p], precision: 4));
        p.grad = null;
        Tensor Right() { using var c = p.pow(3); return c.sum(); }
        GradCheck.AssertMatchesFiniteDifferences(Right, [p], precision: 4);
    }
}
