using NormFree.Init;
using NormFree.Nn;

namespace NormFree.Methods.Farkas;

/// <summary>What <see cref="FarkasLinear"/> and <see cref="FarkasConv2d"/> share (Pooladian et al. 2019,
/// Algorithm 1): a weight of n free rows, a bias of n + 1 entries, the aggregation, the ReLU, and the equivalent
/// plain layer (n + 1 rows, the last one −agg of the others) for analyses and plots.
/// <para>NOTE: unlike the reference code, the layer holds no dropout, activation switch or batch norm: the builder
/// composes a BatchNorm after it where a net wants one (STYLE.md, the reference layer's bundling).</para></summary>
public abstract class FarkasLayer : nn.Module<Tensor, Tensor>
{
    public Aggregation aggregation { get; }

    /// <summary>The n free rows: (n, in) or (n, C_in, k, k). Setting it registers it as "weight" (Module.to
    /// replaces it through this setter; protected, not private, so reflection on a derived layer finds it).</summary>
    public Parameter weight
    {
        get => weight_;
        protected set
        {
            weight_ = (Parameter)value.DetachFromDisposeScope();
            ConditionallyRegisterParameter(nameof(weight), weight_);
        }
    }
    Parameter weight_ = null!;

    /// <summary>(n + 1): b[0:n] for the free units, b[n] = β for the extra one (used through the clamp). Registered
    /// as "bias", as <see cref="weight"/>.</summary>
    public Parameter bias
    {
        get => bias_;
        protected set
        {
            bias_ = (Parameter)value.DetachFromDisposeScope();
            ConditionallyRegisterParameter(nameof(bias), bias_);
        }
    }
    Parameter bias_ = null!;

    protected FarkasLayer(long[] weightShape, Aggregation aggregation) : base(nameof(FarkasLayer))
    {
        this.aggregation = aggregation;
        weight = new Parameter(torch.empty(weightShape)); // registers "weight"
        bias = new Parameter(torch.empty([weightShape[0] + 1])); // registers "bias"
        reset_parameters();
    }

    /// <summary>Free units n; the layer outputs n + 1.</summary>
    public long free_units => weight.size(0);

    /// <summary>The paper's "standard" init, PyTorch's default (§4): W and b ~ U(±1/√fan_in), fan_in of W.</summary>
    public void reset_parameters() => init.default_(weight, bias);

    /// <summary>z = cat[y, agg(−y)] + cat[b[0:n], max(agg(−b[0:n]), β)] with y the layer's bias-free output: the
    /// pre-activation, of which at least one unit is ≥ 0 for every input (Theorem 3.2).</summary>
    public abstract Tensor preactivation(Tensor input);

    /// <summary>relu(<see cref="preactivation"/>(input)).</summary>
    public override Tensor forward(Tensor input)
    {
        using var z = preactivation(input);
        return F.relu(z);
    }

    /// <summary>The equivalent plain weight (n + 1, …): cat[W, agg(−W)] over the rows (§3, the appended
    /// linearly dependent row).</summary>
    public Tensor equivalent_weight()
    {
        using var extra = FarkasF.extra_unit(weight, aggregation, 0);
        return torch.cat([weight, extra], 0);
    }

    /// <summary>The equivalent plain bias (n + 1): cat[b[0:n], b̄].</summary>
    public Tensor equivalent_bias() => FarkasF.clamped_bias(bias, aggregation);

    /// <summary>Throws unless the layer has at least one free unit (out ≥ 2), Theorem 3.2's requirement.</summary>
    protected static long FreeUnits(string layer, long outputs) => outputs >= 2
        ? outputs - 1
        : throw new ArgumentException($"{layer} needs at least one free unit besides the aggregated one: outputs ≥ 2, got {outputs}");

    // The parameters register themselves (see their setters); skip TorchSharp's field scan (run when a parent
    // registers this module), which would register the backing fields a second time.
    protected override void RegisterComponents() { }
}
