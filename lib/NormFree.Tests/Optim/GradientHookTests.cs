using NormFree.Optim;

namespace NormFree.Tests.Optim;

/// <summary>GradientHooks.apply (what runs between backward and the optimizer's step) and adaptive gradient clipping.</summary>
public class GradientHookTests
{
    static Parameter Param(double[] values, long[] shape) => new(torch.tensor(values, shape, float64));

    static void SetGrad(Parameter p, double[] values)
    {
        using var g = torch.tensor(values, p.shape, float64);
        p.grad = g;
    }

    static double[] Grad(Parameter p)
    {
        using var g = p.grad!;
        return g.data<double>().ToArray();
    }

    [Fact]
    public void AgcClipsEachUnitToLambdaTimesItsWeightNorm()
    {
        // Linear weight (3 units, 2 inputs): ‖W_0‖ = 5, ‖W_1‖ = 1, W_2 = 0 (so ε applies).
        using var w = Param([3.0, 4.0, 1.0, 0.0, 0.0, 0.0], [3, 2]);
        using var bias = Param([0.0, 2.0], [2]);
        const double lambda = 0.1, eps = 1e-3;
        SetGrad(w, [0.3, 0.4, 6.0, 8.0, 1.0, 0.0]);   // ‖G_0‖ = 0.5 = λ‖W_0‖ (kept), ‖G_1‖ = 10 (clipped), ‖G_2‖ = 1 (clipped)
        SetGrad(bias, [0.6, 0.8]);                     // whole-vector norm 1 > λ·2 = 0.2
        GradientHooks.apply([w, bias], [new AdaptiveGradientClipping(lambda, eps)]);
        var g = Grad(w);
        Assert.Equal([0.3, 0.4], g[..2]);
        Assert.Equal(0.06, g[2], 1e-12);
        Assert.Equal(0.08, g[3], 1e-12);
        Assert.Equal(lambda * eps, g[4], 1e-12);
        Assert.Equal(0, g[5]);
        var gb = Grad(bias);
        Assert.Equal(0.12, gb[0], 1e-12);
        Assert.Equal(0.16, gb[1], 1e-12);
    }

    [Fact]
    public void AgcLeavesExcludedParametersUnclipped()
    {
        using var head = Param([1.0, 0.0], [1, 2]);
        using var body = Param([1.0, 0.0], [1, 2]);
        SetGrad(head, [10.0, 0.0]);   // ‖G‖ / ‖W‖ = 10 > λ: AGC would clip it to 0.1
        SetGrad(body, [10.0, 0.0]);
        GradientHooks.apply([head, body], [new AdaptiveGradientClipping(0.1, exclude: [head])]);
        Assert.Equal([10.0, 0.0], Grad(head));
        Assert.Equal(0.1, Grad(body)[0], 1e-12);
    }

    [Fact]
    public void AgcUnitsOfAConvAreFilters()
    {
        using var w = torch.randn([4, 3, 3, 3], float64, generator: new Generator(1));
        using var n = AdaptiveGradientClipping.unitwise_norm(w);
        Assert.Equal([4L, 1, 1, 1], n.shape);
        using var first = w[0];
        using var firstNorm = first.norm();
        using var n0 = n[0];
        Assert.Equal(firstNorm.ToDouble(), n0.ToDouble(), 1e-12);
    }

    [Fact]
    public void AgcRejectsANonPositiveThreshold()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveGradientClipping(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveGradientClipping(0.01, eps: -1));
    }

    [Fact]
    public void HooksRunInOrderUnderNoGradOnTheParametersThatHaveAGradient()
    {
        using var a = Param([1.0], [1]);
        using var b = Param([1.0], [1]);
        using var none = Param([1.0], [1]);                // no gradient: left out
        SetGrad(a, [1.0]);
        SetGrad(b, [3.0]);
        var calls = new List<string>();
        var gradEnabled = new List<bool>();
        GradientHooks.apply([a, none, b],
        [
            new PerParameterHook((p, g) => { calls.Add($"double {p.ToDouble()}"); gradEnabled.Add(torch.is_grad_enabled()); g.mul_(2); }),
            new PerParameterHook((p, g) => { calls.Add($"add {g.ToDouble()}"); g.add_(1); }),
        ]);
        Assert.Equal(["double 1", "double 1", "add 2", "add 6"], calls);
        Assert.All(gradEnabled, Assert.False);
        Assert.Equal([3.0], Grad(a));                       // 1·2 + 1
        Assert.Equal([7.0], Grad(b));                       // 3·2 + 1
        Assert.Null(none.grad);
        Assert.True(torch.is_grad_enabled());               // restored afterwards
    }

    [Fact]
    public void ParametersSeeTheirOwnGradient()
    {
        using var a = Param([2.0, 2.0], [2]);
        using var b = Param([5.0], [1]);
        SetGrad(a, [1.0, 1.0]);
        SetGrad(b, [1.0]);
        // Scale each gradient by its parameter's first entry: a's by 2, b's by 5.
        GradientHooks.apply([a, b], [new PerParameterHook((p, g) => { using var first = p[0]; g.mul_(first); })]);
        Assert.Equal([2.0, 2.0], Grad(a));
        Assert.Equal([5.0], Grad(b));
    }
}
