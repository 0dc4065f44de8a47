using NormFree.Init;
using NormFree.Nn;

namespace NormFree.Methods.Peers;

/// <summary>Scaled Weight Standardization of a <see cref="Conv2d"/> or <see cref="Linear"/> (Brock, De &amp; Smith,
/// ICLR 2021, "Scaled Weight Standardization"; after Qiao et al. 2019), one learnable gain per output unit:
/// <code>Ŵ_o = g_o · (V_o − μ_o) / (σ_o · √N)</code>
/// where V_o is output unit o's fan-in (C_in/groups·k·k entries for a conv), μ_o and σ_o its mean and (biased)
/// standard deviation, and N = fan-in. Every Ŵ_o has mean 0 and Σ Ŵ_o² = g_o², so for inputs with i.i.d. entries
/// of any mean and variance σ_x² the output has mean 0 (plus the bias) and variance g_o²·σ_x²: the layer neither
/// shifts the mean (the mean drift ReLU nets show without BN, which the paper's signal propagation plots expose) nor changes the variance.
/// The direction V is the wrapped layer's own weight (parameter "layer.weight"); g is "gain" (C_out), init 1.
/// The layer is a TorchSharp <see cref="Conv2d"/> or <see cref="Linear"/> (<see cref="WeightedLayer"/>).
/// <para>Shapes: those of the wrapped layer.</para>
/// <para>NOTE: as the reference code (nfnets/base.py, WSConv2D) the denominator is √max(N·σ², ε) with ε = 1e-4, so
/// a unit whose weights are (near) constant does not divide by zero.</para></summary>
public sealed class ScaledWeightStandardization : nn.Module<Tensor, Tensor>
{
    /// <summary>ε of √max(N·σ², ε), from the reference code.</summary>
    public const double DefaultEps = 1e-4;

    public nn.Module<Tensor, Tensor> layer { get; }

    /// <summary>Per-unit gain g (C_out), init 1. Setting it registers it as "gain" (Module.to replaces it through
    /// this setter).</summary>
    public Parameter gain
    {
        get => gain_;
        private set
        {
            gain_ = (Parameter)value.DetachFromDisposeScope();
            ConditionallyRegisterParameter(nameof(gain), gain_);
        }
    }
    Parameter gain_ = null!;

    public double eps { get; }

    /// <summary>The direction V: the wrapped layer's weight.</summary>
    public Parameter weight_v => WeightedLayer.weight(layer);

    /// <summary>N: the fan-in of one output unit.</summary>
    public long fan_in => weight_v.numel() / weight_v.size(0);

    /// <param name="layer">The layer to standardise; this module takes ownership of it.</param>
    public ScaledWeightStandardization(nn.Module<Tensor, Tensor> layer, double eps = DefaultEps) : base(nameof(ScaledWeightStandardization))
    {
        if (!WeightedLayer.Is(layer)) throw new ArgumentException($"ScaledWeightStandardization wraps a Linear or Conv2d, got {layer.GetType().Name}", nameof(layer));
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "ε must be ≥ 0");
        this.eps = eps;
        var v = WeightedLayer.weight(layer);
        gain = new Parameter(torch.ones([WeightedLayer.out_units(layer)], v.dtype, v.device)); // registers "gain"
        this.layer = layer;
        register_module("layer", this.layer);
    }

    /// <summary>Re-initialises V and b (PyTorch's default for the layer) and sets g = 1.</summary>
    public void reset_parameters()
    {
        init.default_(weight_v, WeightedLayer.bias(layer));
        using var _ = torch.no_grad();
        gain.fill_(1);
    }

    /// <summary>The standardised weight Ŵ (same shape as V), differentiable in g and V.</summary>
    public Tensor weight()
    {
        var v = weight_v;
        var fanDims = Enumerable.Range(1, (int)v.dim() - 1).Select(d => (long)d).ToArray();
        var unitShape = new long[v.dim()];
        Array.Fill(unitShape, 1L);
        unitShape[0] = v.size(0); // (C_out, 1, ..., 1): broadcasts over each unit's fan-in
        using var mean = v.mean(fanDims, keepdim: true);                       // μ_o
        using var variance = v.var(fanDims, unbiased: false, keepdim: true);   // σ_o²
        using var spread = variance * fan_in;                                  // N·σ_o²
        using var floored = spread.clamp(min: eps);
        using var denominator = floored.sqrt();                                // σ_o·√N
        using var g = gain.view(unitShape);
        using var scale = g / denominator;
        using var centred = v - mean;
        return centred * scale;
    }

    public override Tensor forward(Tensor input)
    {
        using var w = weight();
        return WeightedLayer.forward_with(layer, input, w);
    }

    // The gain registers itself (see its setter) and the layer is registered by name; skip TorchSharp's field scan
    // (run when a parent registers this module), which would register the backing fields a second time.
    protected override void RegisterComponents() { }
}
