using NormFree.Optim;
using NormFree.Torch;

namespace NormFree.Tests.Optim;

public class SgdTests
{
    static Tensor Leaf(params double[] values) => torch.tensor(values).requires_grad_();

    static void SetGrad(Tensor p, params double[] values)
    {
        using var g = torch.tensor(values);
        p.grad = g;
    }

    [Fact]
    public void MomentumTrajectoryMatchesHandComputation()
    {
        // p = 1, constant gradient 1, lr 0.1, μ 0.9: b = 1, 1.9, 2.71; p = 0.9, 0.71, 0.439.
        using var p = Leaf(1.0);
        using var opt = new SGD([p], lr: 0.1, momentum: 0.9);
        double[] expected = [0.9, 0.71, 0.439];
        foreach (var e in expected)
        {
            SetGrad(p, 1.0);
            opt.step();
            Assert.Equal(e, p.item(), 1e-12);
        }
        Assert.Equal(2.71, opt.state(p)[SGD.MomentumBuffer].item(), 1e-12);
    }

    [Fact]
    public void NesterovTrajectoryMatchesHandComputation()
    {
        // b = 1 then 1.9; step g + μb = 1.9 then 2.71; p = 1 − 0.19 = 0.81, then 0.81 − 0.271 = 0.539.
        using var p = Leaf(1.0);
        using var opt = new SGD([p], lr: 0.1, momentum: 0.9, nesterov: true);
        foreach (var e in new[] { 0.81, 0.539 })
        {
            SetGrad(p, 1.0);
            opt.step();
            Assert.Equal(e, p.item(), 1e-12);
        }
    }

    [Fact]
    public void WeightDecayAndDampeningMatchHandComputation()
    {
        // lr 0.5, μ 0.5, τ 0.5, λ 0.1, p = 2, gradient 1:
        // step 1: d = 1 + 0.2 = 1.2, b = 1.2 (no dampening at the first step), p = 2 − 0.6 = 1.4
        // step 2: d = 1 + 0.14 = 1.14, b = 0.6 + 0.5·1.14 = 1.17, p = 1.4 − 0.585 = 0.815
        using var p = Leaf(2.0);
        using var opt = new SGD([p], lr: 0.5, momentum: 0.5, dampening: 0.5, weight_decay: 0.1);
        foreach (var e in new[] { 1.4, 0.815 })
        {
            SetGrad(p, 1.0);
            opt.step();
            Assert.Equal(e, p.item(), 1e-12);
        }
    }

    /// <summary>torch.optim.SGD's update written out on doubles, one coordinate at a time.</summary>
    static double[] Reference(double[] p0, double[] c, int steps, double lr, double mu, double tau, double wd, bool nesterov)
    {
        var p = (double[])p0.Clone();
        var b = new double[p.Length];
        for (var s = 0; s < steps; s++)
            for (var i = 0; i < p.Length; i++)
            {
                var d = c[i] * p[i] + wd * p[i];           // gradient of ½ c p², then weight decay
                b[i] = s == 0 ? d : mu * b[i] + (1 - tau) * d;
                var step = mu == 0 ? d : nesterov ? d + mu * b[i] : b[i];
                p[i] -= lr * step;
            }
        return p;
    }

    [Theory]
    [InlineData(0.0, 0.0, 0.0, false)]
    [InlineData(0.9, 0.0, 0.0, false)]
    [InlineData(0.9, 0.0, 5e-4, true)]
    [InlineData(0.5, 0.3, 1e-2, false)]
    [InlineData(0.0, 0.0, 1e-1, false)]
    public void QuadraticTrajectoryMatchesReference(double mu, double tau, double wd, bool nesterov)
    {
        double[] p0 = [1.0, -2.0, 0.5], c = [0.3, 1.5, 4.0];
        using var p = Leaf(p0);
        using var curvature = torch.tensor(c);
        using var opt = new SGD([p], lr: 0.2, momentum: mu, dampening: tau, weight_decay: wd, nesterov: nesterov);
        for (var s = 0; s < 7; s++)
        {
            using var scope = torch.NewDisposeScope();
            opt.zero_grad();
            var loss = (p * p * curvature).sum() * 0.5;
            loss.backward();
            opt.step();
        }
        var want = Reference(p0, c, 7, 0.2, mu, tau, wd, nesterov);
        var have = p.data<double>();
        for (var i = 0; i < want.Length; i++) Assert.Equal(want[i], have[i], 1e-12);
    }

    [Fact]
    public void GroupsTakeTheirOwnLrAndWeightDecay()
    {
        using var a = Leaf(1.0);
        using var b = Leaf(1.0);
        using var opt = new SGD([new ParamGroup([a]), new ParamGroup([b], lr: 0.01, weight_decay: 0)], lr: 0.1, weight_decay: 0.5);
        Assert.Equal(0.5, opt.param_groups[0].weight_decay);
        Assert.Equal(0.01, opt.param_groups[1].initial_lr);
        SetGrad(a, 1.0);
        SetGrad(b, 1.0);
        opt.step();
        Assert.Equal(1 - 0.1 * 1.5, a.item(), 1e-12);
        Assert.Equal(1 - 0.01, b.item(), 1e-12);
    }

    [Fact]
    public void ParametersWithoutGradientAreLeftAlone()
    {
        using var a = Leaf(1.0);
        using var b = Leaf(3.0);
        using var opt = new SGD([a, b], lr: 0.1, momentum: 0.9, weight_decay: 0.1);
        SetGrad(a, 1.0);
        opt.step();
        Assert.Equal(3.0, b.item());
        Assert.Empty(opt.state(b));
    }

    [Fact]
    public void ZeroGradClearsOrZeroes()
    {
        using var a = Leaf(1.0, 2.0);
        using var opt = new SGD([a], lr: 0.1);
        SetGrad(a, 1.0, 1.0);
        opt.zero_grad(set_to_none: false);
        using (var g = a.grad) Assert.Equal([0.0, 0.0], g!.data<double>());
        opt.zero_grad();
        Assert.Null(a.grad);
    }

    [Fact]
    public void RejectsBadSettings()
    {
        using var a = Leaf(1.0);
        Assert.Throws<ArgumentException>(() => new SGD([a], lr: 0.1, nesterov: true));
        Assert.Throws<ArgumentException>(() => new SGD([a], lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SGD([a], lr: -1));
        Assert.Throws<ArgumentException>(() => new SGD([new ParamGroup([a]), new ParamGroup([a])], lr: 0.1));
        using var ints = torch.tensor(new long[] { 1 });
        Assert.Throws<ArgumentException>(() => new SGD([ints], lr: 0.1));
    }

    [Fact]
    public void StateDictRoundTripContinuesIdentically()
    {
        using var a = Leaf(1.0, -1.0);
        using var b = Leaf(0.5);
        using var opt = new SGD([new ParamGroup([a]), new ParamGroup([b], lr: 0.05)], lr: 0.1, momentum: 0.9, weight_decay: 0.01);
        void Train(Optimizer o, Tensor x, Tensor y)
        {
            using var scope = torch.NewDisposeScope();
            o.zero_grad();
            var loss = (x * x).sum() + (y * y * y).sum();
            loss.backward();
            o.step();
        }
        Train(opt, a, b);
        Train(opt, a, b);
        opt.param_groups[0].lr = 0.07;
        var saved = opt.state_dict();
        Assert.Contains("state.0.momentum_buffer", saved.Keys);
        Assert.Contains("state.1.momentum_buffer", saved.Keys);
        Assert.Equal([1L], saved["param_groups.1.params"].data<long>());

        using var a2 = a.detach().clone().requires_grad_();
        using var b2 = b.detach().clone().requires_grad_();
        using var restored = new SGD([new ParamGroup([a2]), new ParamGroup([b2])], lr: 1, momentum: 0.1);
        restored.load_state_dict(saved);
        Assert.Equal(0.07, restored.param_groups[0].lr);
        Assert.Equal(0.05, restored.param_groups[1].initial_lr);
        Assert.Equal(0.9, restored.param_groups[1].momentum);
        foreach (var t in saved.Values) t.Dispose();
        for (var s = 0; s < 3; s++)
        {
            Train(opt, a, b);
            Train(restored, a2, b2);
        }
        Assert.True(a.equal(a2));
        Assert.True(b.equal(b2));
    }

    [Fact]
    public void LoadStateDictRejectsMismatches()
    {
        using var a = Leaf(1.0, 2.0);
        using var opt = new SGD([a], lr: 0.1, momentum: 0.9);
        SetGrad(a, 1.0, 1.0);
        opt.step();
        var saved = opt.state_dict();
        using var other = Leaf(1.0, 2.0, 3.0);
        using var wrong_shape = new SGD([other], lr: 0.1, momentum: 0.9);
        var e = Assert.Throws<ArgumentException>(() => wrong_shape.load_state_dict(saved));
        Assert.Contains("[2]", e.Message);
        using var two = Leaf(1.0, 2.0);
        using var wrong_groups = new SGD([new ParamGroup([two]), new ParamGroup([other])], lr: 0.1);
        Assert.Throws<ArgumentException>(() => wrong_groups.load_state_dict(saved));
        saved.Remove("param_groups.0.lr", out var removed);
        removed!.Dispose();
        Assert.Throws<ArgumentException>(() => opt.load_state_dict(saved));
        foreach (var t in saved.Values) t.Dispose();
    }
}

public class ParamGroupsTests
{
    [Fact]
    public void DecayWeightsOnlyPutsBiasesInAGroupWithoutDecay()
    {
        using var model = new NormFree.Nn.Sequential(new NormFree.Nn.Conv2d(1, 2, 3), new NormFree.Nn.Flatten(), new NormFree.Nn.Linear(8, 3));
        var groups = ParamGroups.decay_weights_only(model, 5e-4);
        using var opt = new SGD(groups, lr: 0.1, weight_decay: 1.0);
        Assert.Equal(2, opt.param_groups.Count);
        Assert.Equal(5e-4, opt.param_groups[0].weight_decay);
        Assert.All(opt.param_groups[0].@params, p => Assert.True(p.dim() >= 2));
        Assert.Equal(0, opt.param_groups[1].weight_decay);
        Assert.All(opt.param_groups[1].@params, p => Assert.Equal(1, p.dim()));
        Assert.Equal(model.parameters().Count(), opt.parameters().Count());
    }
}
