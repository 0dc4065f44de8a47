using NormFree.Torch;

namespace NormFree.Optim;

/// <summary>Stochastic gradient descent with momentum, as torch.optim.SGD (same update, same defaults). Per
/// parameter p with gradient g (after the gradient hooks), with group settings lr, μ (momentum), τ (dampening),
/// λ (weight_decay):
/// <code>
/// g ← g + λ·p                                   (L2 weight decay, coupled, as torch)
/// b ← g at the first step, else μ·b + (1 − τ)·g   (momentum buffer; no dampening at the first step, as torch)
/// g ← g + μ·b if nesterov, else b                 (Sutskever et al. 2013 form used by torch)
/// p ← p − lr·g
/// </code>
/// With μ = 0 there is no buffer and the update is p ← p − lr·(g + λp).</summary>
public sealed class SGD : Optimizer
{
    public const string MomentumBuffer = "momentum_buffer";

    /// <summary>One group of parameters, all with the same settings.</summary>
    public SGD(IEnumerable<Tensor> @params, double lr, double momentum = 0, double dampening = 0, double weight_decay = 0, bool nesterov = false)
        : this([new ParamGroup(@params)], lr, momentum, dampening, weight_decay, nesterov) { }

    /// <summary>Several groups; a group's unset hyperparameters take the values given here.</summary>
    public SGD(IEnumerable<ParamGroup> groups, double lr, double momentum = 0, double dampening = 0, double weight_decay = 0, bool nesterov = false)
        : base(groups)
    {
        foreach (var g in param_groups)
        {
            g.lr = g.initial_lr = g.Lr ?? lr;
            g.momentum = g.Momentum ?? momentum;
            g.dampening = g.Dampening ?? dampening;
            g.weight_decay = g.WeightDecay ?? weight_decay;
            g.nesterov = g.Nesterov ?? nesterov;
            Validate(g);
        }
    }

    static void Validate(ParamGroup g)
    {
        if (!(g.lr >= 0)) throw new ArgumentOutOfRangeException("lr", g.lr, "learning rate must be ≥ 0");
        if (!(g.momentum >= 0)) throw new ArgumentOutOfRangeException("momentum", g.momentum, "momentum must be ≥ 0");
        if (!(g.weight_decay >= 0)) throw new ArgumentOutOfRangeException("weight_decay", g.weight_decay, "weight decay must be ≥ 0");
        if (g.nesterov && (g.momentum <= 0 || g.dampening != 0))
            throw new ArgumentException($"Nesterov momentum requires momentum > 0 and zero dampening (got momentum {g.momentum}, dampening {g.dampening})");
    }

    protected override void update(ParamGroup group, Tensor p, Tensor grad)
    {
        var d_p = group.weight_decay != 0 ? grad.add(p, group.weight_decay) : grad;
        if (group.momentum != 0)
        {
            var buf = get_state(p, MomentumBuffer);
            if (buf is null) set_state(p, MomentumBuffer, buf = d_p.clone());
            else buf.mul_(group.momentum).add_(d_p, 1 - group.dampening);
            d_p = group.nesterov ? d_p.add(buf, group.momentum) : buf;
        }
        p.add_(d_p, -group.lr);
    }
}
