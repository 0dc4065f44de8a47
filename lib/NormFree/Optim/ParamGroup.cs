using NormFree.Torch;

namespace NormFree.Optim;

/// <summary>One parameter group of an optimizer, as a dict in torch.optim's <c>param_groups</c>: its parameters,
/// its own hyperparameters (mutable: a schedule writes <see cref="lr"/> every step) and its own gradient hooks.
/// FixUp's "biases and scales get LR/10" and "weight decay on weights only" are two groups.</summary>
public sealed class ParamGroup
{
    /// <summary>The parameters, in order (leaf tensors that require grad: usually <see cref="Nn.Parameter"/>s).</summary>
    public IReadOnlyList<Tensor> @params { get; }

    /// <summary>The learning rate used by the next step.</summary>
    public double lr { get; set; }

    /// <summary>The learning rate the group started with; schedules multiply it (torch's <c>initial_lr</c>).</summary>
    public double initial_lr { get; set; }

    public double momentum { get; set; }
    public double dampening { get; set; }
    public double weight_decay { get; set; }
    public bool nesterov { get; set; }

    /// <summary>Run on this group's gradients after backward, before the update (before the optimizer-wide hooks).</summary>
    public List<IGradientHook> hooks { get; } = [];

    /// <summary>A group; hyperparameters left null take the optimizer's defaults.</summary>
    public ParamGroup(IEnumerable<Tensor> @params, double? lr = null, double? momentum = null, double? dampening = null,
        double? weight_decay = null, bool? nesterov = null, IEnumerable<IGradientHook>? hooks = null)
    {
        this.@params = @params.ToArray();
        if (this.@params.Count == 0) throw new ArgumentException("a parameter group needs at least one parameter", nameof(@params));
        Lr = lr; Momentum = momentum; Dampening = dampening; WeightDecay = weight_decay; Nesterov = nesterov;
        if (hooks is not null) this.hooks.AddRange(hooks);
    }

    // What the caller asked for, before the optimizer fills in its defaults.
    internal readonly double? Lr, Momentum, Dampening, WeightDecay;
    internal readonly bool? Nesterov;

    public override string ToString() =>
        $"ParamGroup({@params.Count} params, lr={lr}, momentum={momentum}, dampening={dampening}, weight_decay={weight_decay}, nesterov={nesterov})";
}
