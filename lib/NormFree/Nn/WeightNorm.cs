using NormFree.Init;

namespace NormFree.Nn;

/// <summary>How <see cref="WeightNorm"/> builds the effective weight from the direction V and the per-unit gain g.</summary>
public enum WeightNormMode
{
    /// <summary>W = g ⊙ V / ‖V‖, norm over each output unit's fan-in (Salimans &amp; Kingma 2016, eq. 2).</summary>
    Normalized,

    /// <summary>W = e^g ⊙ V, no normalisation (Ruff et al. 2019, Mean Shift Rejection §3).</summary>
    Exponential,
}

/// <summary>Weight reparameterisation of a TorchSharp <see cref="Linear"/> or <see cref="Conv2d"/> (TorchSharp has no
/// <c>weight_norm</c>), one gain per output unit
/// (per filter for a conv):
/// <list type="bullet">
/// <item><see cref="WeightNormMode.Normalized"/>: W_o = g_o · V_o / ‖V_o‖₂, the norm over the unit's fan-in
/// (C_in·k·k for a conv) — Salimans &amp; Kingma (2016), eq. 2; Arpit et al. (2019).</item>
/// <item><see cref="WeightNormMode.Exponential"/>: W_o = e^{g_o} · V_o — Ruff et al. (2019), §3, where e^g starts at
/// 0.8; the magnitude of V is then kept near 1 by LUMA, not by this layer.</item>
/// </list>
/// The direction V is the wrapped layer's own <c>weight</c> (parameter "layer.weight", also <see cref="weight_v"/>),
/// so the layer's geometry, bias and init stay where they are; g is "weight_g", shape (C_out).
/// <para>Shapes: those of the wrapped layer.</para>
/// <para>Init: V and b as the wrapped layer; g as <c>initial_gain</c> (see the constructor).</para>
/// <para>NOTE: PyTorch stores weight_g as (C_out, 1, 1, 1); here it is (C_out), one entry per unit.</para></summary>
public sealed class WeightNorm : nn.Module<Tensor, Tensor>
{
    /// <summary>The wrapped Linear or Conv2d.</summary>
    public nn.Module<Tensor, Tensor> layer { get; }
    public WeightNormMode mode { get; }

    /// <summary>Per-unit gain g (C_out). A setter because moving the module to another device or dtype replaces it.</summary>
    public Parameter weight_g
    {
        get => weight_g_;
        // Module.to() swaps in the moved tensor through this setter: keep the registration in step.
        private set { weight_g_ = (Parameter)value.DetachFromDisposeScope(); ConditionallyRegisterParameter(nameof(weight_g), weight_g_); }
    }
    Parameter weight_g_ = null!;

    /// <summary>The direction V: the wrapped layer's weight.</summary>
    public Parameter weight_v => WeightedLayer.weight(layer);

    readonly double? initialGain;

    /// <param name="layer">The layer to reparameterise; this module takes ownership of it.</param>
    /// <param name="initial_gain">The per-unit multiplier at init. Normalized: g = initial_gain, or g = ‖V_o‖ when
    /// null so that W = V at init (PyTorch's weight_norm). Exponential: g = ln(initial_gain), e^g = 1 when null.</param>
    public WeightNorm(nn.Module<Tensor, Tensor> layer, WeightNormMode mode = WeightNormMode.Normalized, double? initial_gain = null)
        : base(nameof(WeightNorm))
    {
        if (!WeightedLayer.Is(layer)) throw new ArgumentException($"WeightNorm wraps a Linear or Conv2d, got {layer.GetType().Name}", nameof(layer));
        if (mode == WeightNormMode.Exponential && initial_gain is <= 0)
            throw new ArgumentOutOfRangeException(nameof(initial_gain), initial_gain, "the exponential mode needs a positive initial gain e^g");
        this.mode = mode;
        initialGain = initial_gain;
        var v = WeightedLayer.weight(layer);
        weight_g = new Parameter(torch.empty([v.size(0)], v.dtype, v.device));
        this.layer = layer;
        register_module("layer", layer);
        reset_gain();
    }

    /// <summary>Re-initialises V and b (PyTorch's default for the layer), then g.</summary>
    public void reset_parameters()
    {
        init.default_(weight_v, WeightedLayer.bias(layer));
        reset_gain();
    }

    /// <summary>Sets g from <c>initial_gain</c> (and the current V in the Normalized mode with no initial gain).</summary>
    public void reset_gain()
    {
        using var _ = torch.no_grad();
        if (mode == WeightNormMode.Normalized && initialGain is null)
        {
            using var norms = unit_norms(); // (C_out)
            weight_g.copy_(norms);
        }
        else
            weight_g.fill_(mode == WeightNormMode.Normalized ? initialGain!.Value : Math.Log(initialGain ?? 1.0));
    }

    /// <summary>‖V_o‖₂ over each output unit's fan-in: (C_out).</summary>
    public Tensor unit_norms()
    {
        var dims = Enumerable.Range(1, (int)weight_v.dim() - 1).Select(d => (long)d).ToArray();
        return torch.linalg.vector_norm(weight_v, 2, dims);
    }

    /// <summary>The effective weight W (same shape as V), differentiable in g and V.</summary>
    public Tensor weight()
    {
        var v = weight_v;
        var unitShape = new long[v.dim()];
        Array.Fill(unitShape, 1L);
        unitShape[0] = v.size(0); // (C_out, 1, ..., 1): broadcasts over each unit's fan-in
        if (mode == WeightNormMode.Exponential)
        {
            using var scale = weight_g.exp();
            using var scaleU = scale.view(unitShape);
            return v * scaleU; // W = e^g · V
        }
        using var norms = unit_norms();
        using var factor = weight_g / norms;
        using var factorU = factor.view(unitShape);
        return v * factorU; // W = g · V / ‖V‖
    }

    public override Tensor forward(Tensor input)
    {
        using var w = weight();
        return WeightedLayer.forward_with(layer, input, w);
    }

    /// <summary>A plain layer computing the same function with W folded in (for inference): same geometry,
    /// weight = W, bias copied.</summary>
    public nn.Module<Tensor, Tensor> fold()
    {
        var plain = WeightedLayer.create_like(layer);
        using var _ = torch.no_grad();
        using var w = weight();
        plain.to(w.device).to(w.dtype);
        WeightedLayer.weight(plain).copy_(w);
        if (WeightedLayer.bias(layer) is { } b) WeightedLayer.bias(plain)!.copy_(b);
        return plain;
    }

    // Members are registered by name in the constructor; TorchSharp's field scan would register the auto-properties'
    // backing fields a second time (register_module runs it on every child).
    protected override void RegisterComponents() { }
}
