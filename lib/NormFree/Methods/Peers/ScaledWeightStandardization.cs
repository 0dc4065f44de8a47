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
/// <para>Shapes: those of the wrapped layer.</para>
/// <para>NOTE: as the reference code (nfnets/base.py, WSConv2D) the denominator is √max(N·σ², ε) with ε = 1e-4, so
/// a unit whose weights are (near) constant does not divide by zero.</para></summary>
public sealed class ScaledWeightStandardization : nn.Module<Tensor, Tensor>
{
    /// <summary>ε of √max(N·σ², ε), from the reference code.</summary>
    public const double DefaultEps = 1e-4;

    public nn.Module<Tensor, Tensor> layer { get; }

    /// <summary>Per-unit gain g (C_out), init 1.</summary>
    public Parameter gain { get; private set; }

    public double eps { get; }

    /// <summary>The direction V: the wrapped layer's weight.</summary>
    public Parameter weight_v => layer.weight;

    /// <summary>N: the fan-in of one output unit.</summary>
    public long fan_in => weight_v.numel() / weight_v.size(0);

    /// <param name="layer">The layer to standardise; this module takes ownership of it.</param>
    public ScaledWeightStandardization(nn.Module<Tensor, Tensor> layer, double eps = DefaultEps) : base(nameof(ScaledWeightStandardization))
    {
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "ε must be ≥ 0");
        this.eps = eps;
        using var g = torch.ones([layer.out_units], layer.weight.dtype, layer.weight.device);
        gain = new Parameter(g);
        register_parameter("gain", gain);
        this.layer = layer;
        register_module("layer", this.layer);
    }

    /// <summary>Re-initialises V and b (the layer's own init) and sets g = 1.</summary>
    public void reset_parameters()
    {
        layer.reset_parameters();
        using var _ = torch.no_grad();
        gain.fill_(1);
    }

    /// <summary>The standardised weight Ŵ (same shape as V), differentiable in g and V.</summary>
    public Tensor weight()
    {
        var v = weight_v;
        var fanDims = Enumerable.Range(1, v.dim() - 1).Select(d => (long)d).ToArray();
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
        return layer.forward_with(input, w);
    }

}
