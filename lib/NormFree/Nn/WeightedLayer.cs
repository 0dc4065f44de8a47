using NormFree.Init;
using NormFree.Torch;

namespace NormFree.Nn;

/// <summary>What <see cref="Linear"/> and <see cref="Conv2d"/> share: a <c>weight</c> whose first dim indexes the
/// output units, an optional <c>bias</c> of one entry per output unit, PyTorch's default init, and the layer's
/// functional form with any weight of the same shape (<see cref="forward_with"/>), which is what lets
/// <see cref="WeightNorm"/> reparameterise either layer without copying it.</summary>
public abstract class WeightedLayer : Module
{
    /// <summary>(out, in) for Linear; (C_out, C_in/groups, k, k) for Conv2d.</summary>
    public Parameter weight { get; }

    /// <summary>(out) or null.</summary>
    public Parameter? bias { get; }

    protected WeightedLayer(long[] weightShape, bool bias)
    {
        using var w = torch.empty(weightShape);
        weight = register_parameter("weight", new Parameter(w))!;
        if (!bias) return;
        using var b = torch.empty([weightShape[0]]);
        this.bias = register_parameter("bias", new Parameter(b));
    }

    /// <summary>Number of output units (rows of the weight).</summary>
    public long out_units => weight.size(0);

    /// <summary>PyTorch's default: weight U(±1/√fan_in) (kaiming_uniform_ with a = √5), bias U(±1/√fan_in).</summary>
    public virtual void reset_parameters() => init.default_(weight, bias);

    public override Tensor forward(Tensor input) => forward_with(input, weight);

    /// <summary>This layer's computation with <paramref name="weight"/> in place of its own (same shape); the
    /// layer's own bias and geometry are used.</summary>
    public abstract Tensor forward_with(Tensor input, Tensor weight);

    /// <summary>A new layer of the same geometry and bias setting (freshly initialised).</summary>
    public abstract WeightedLayer create_like();
}
