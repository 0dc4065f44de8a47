using NormFree.Optim;
using NormFree.Torch;

namespace NormFree.Tests.Optim;

public class GradientHookTests
{
    static Tensor Leaf(double[] values, long[] shape) => torch.tensor(values, shape).requires_grad_();

    static void SetGrad(Tensor p, double[] values)
    {
        using var g = torch.tensor(values, p.shape);
        p.grad = g;
    }

    static double[] Grad(Tensor p)
    {
        using var g = p.grad;
        return g!.data<double>();
    }

    [Fact]
    public void GlobalNormClippingScalesEveryGradientByOneFactor()
    {
        using var a = Leaf([0.0, 0.0], [2]);
        using var b = Leaf([0.0], [1]);
        using var opt = new SGD([new ParamGroup([a]), new ParamGroup([b])], lr: 0);
        var clip = new ClipGradNorm(max_norm: 1);
        opt.gradient_hooks.Add(clip);
        SetGrad(a, [3.0, 0.0]);
        SetGrad(b, [4.0]);
        opt.step();
        Assert.Equal(5.0, clip.last_total_norm, 1e-12);
        var f = 1 / (5 + 1e-6);
        Assert.Equal([3 * f, 0], Grad(a));
        Assert.Equal(4 * f, Grad(b)[0], 1e-12);
    }

    [Fact]
    public void GlobalNormClippingLeavesSmallGradientsAlone()
    {
        using var a = Leaf([0.0, 0.0], [2]);
        using var opt = new SGD([a], lr: 0);
        opt.gradient_hooks.Add(new ClipGradNorm(max_norm: 10));
        SetGrad(a, [3.0, 4.0]);
        opt.step();
        Assert.Equal([3.0, 4.0], Grad(a));
    }

    [Fact]
    public void AgcClipsEachUnitToLambdaTimesItsWeightNorm()
    {
        // Linear weight (3 units, 2 inputs): ‖W_0‖ = 5, ‖W_1‖ = 1, W_2 = 0 (so ε applies).
        using var w = Leaf([3.0, 4.0, 1.0, 0.0, 0.0, 0.0], [3, 2]);
        using var bias = Leaf([0.0, 2.0], [2]);
        using var opt = new SGD([w, bias], lr: 0);
        const double lambda = 0.1, eps = 1e-3;
        opt.param_groups[0].hooks.Add(new AdaptiveGradientClipping(lambda, eps));
        SetGrad(w, [0.3, 0.4, 6.0, 8.0, 1.0, 0.0]);   // ‖G_0‖ = 0.5 = λ‖W_0‖ (kept), ‖G_1‖ = 10 (clipped), ‖G_2‖ = 1 (clipped)
        SetGrad(bias, [0.6, 0.8]);                     // whole-vector norm 1 > λ·2 = 0.2
        opt.step();
        var g = Grad(w);
        Assert.Equal([0.3, 0.4], g[..2]);
        Assert.Equal(0.06, g[2], 1e-12);
        Assert.Equal(0.08, g[3], 1e-12);
        Assert.Equal(lambda * eps, g[4], 1e-12);
        Assert.Equal([0.12, 0.16], Grad(bias).Select(x => Math.Round(x, 12)).ToArray());
    }

    [Fact]
    public void AgcUnitsOfAConvAreFilters()
    {
        using var w = torch.randn([4, 3, 3, 3], DType.Float64);
        using var n = AdaptiveGradientClipping.unitwise_norm(w);
        Assert.Equal([4L, 1, 1, 1], n.shape);
        using var first = w[0];
        Assert.Equal(first.norm().item(), n[0].item(), 1e-12);
    }

    [Fact]
    public void GroupHooksRunBeforeOptimizerHooksAndOnlyOnTheirGroup()
    {
        using var a = Leaf([1.0], [1]);
        using var b = Leaf([1.0], [1]);
        var order = new List<string>();
        using var opt = new SGD([new ParamGroup([a], hooks: [new PerParameterHook((p, g) => { order.Add("group"); g.mul_(2); })]), new ParamGroup([b])], lr: 1);
        opt.gradient_hooks.Add(new PerParameterHook((p, g) => order.Add("global")));
        SetGrad(a, [1.0]);
        SetGrad(b, [1.0]);
        opt.step();
        Assert.Equal(["group", "global", "global"], order);
        Assert.Equal(-1.0, a.item(), 1e-12);      // 1 − 1·(2·1)
        Assert.Equal(0.0, b.item(), 1e-12);
    }
}
