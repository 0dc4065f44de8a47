using NormFree.Init;
using NormFree.Nn;

namespace NormFree.Methods.WeightNormInit;

/// <summary>Where a weight-normalised layer sits in the net; it sets the layer's γ (Arpit et al. 2019, §3–4).</summary>
public enum WeightNormRole
{
    /// <summary>A hidden layer of a feedforward ReLU net: γ = 2 (forward-preserving, §3).</summary>
    Hidden,

    /// <summary>The first conv of a ResNet (before the first stage): γ = 1.</summary>
    Stem,

    /// <summary>conv1 of a residual block, followed by the block's ReLU: γ = 2.</summary>
    BlockConv1,

    /// <summary>conv2 of a residual block, whose output is added to the shortcut: γ = 1/B_k (B_k blocks in the
    /// block's stage).</summary>
    BlockConv2,

    /// <summary>A 1×1 projection shortcut (where width or stride change): γ = 1.</summary>
    Shortcut,
}

/// <summary>The proposed init for weight-normalised layers, Arpit, Campos &amp; Bengio (2019), "How to Initialize
/// your Network? Robust Initialization for WeightNorm &amp; ResNets", §3 (feedforward) and §4 (ResNets):
/// <code>
///   a = g ⊙ (V / ‖V‖_row) h + b,   V orthogonal,   b = 0,   g = √(γ · fan_in / fan_out)   for every unit
/// </code>
/// with fan_in = C_in·k·k, fan_out = C_out·k·k (so fan_in/fan_out = C_in/C_out for a conv) and γ by
/// <see cref="WeightNormRole"/>. Why it preserves the norm: with unit rows, ‖V̂h‖² ≈ (fan_out/fan_in)‖h‖² for an
/// orthogonal V, so ‖a‖² ≈ γ‖h‖²; a ReLU halves it (γ = 2 keeps ‖hˡ‖ ≈ ‖hˡ⁻¹‖), and in a residual stage each
/// block adds ‖F(h)‖² ≈ ‖h‖²/B_k, so the stage grows ‖h‖ by √((1 + 1/B_k)^B_k) ∈ [√2, √e] whatever its depth.</summary>
public static class ProposedInit
{
    /// <summary>γ of a layer in the proposed init; <paramref name="blocks_in_stage"/> (B_k) is read for
    /// <see cref="WeightNormRole.BlockConv2"/> only.</summary>
    public static double gamma(WeightNormRole role, int blocks_in_stage = 1) => role switch
    {
        WeightNormRole.Hidden or WeightNormRole.BlockConv1 => 2, // ReLU after the layer halves ‖a‖² (§3)
        WeightNormRole.BlockConv2 => blocks_in_stage >= 1
            ? 1.0 / blocks_in_stage // §4: each of the B_k blocks adds ‖h‖²/B_k
            : throw new ArgumentOutOfRangeException(nameof(blocks_in_stage), blocks_in_stage, "a stage has at least one block"),
        WeightNormRole.Stem or WeightNormRole.Shortcut => 1, // linear: keep ‖h‖
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown role"),
    };

    /// <summary>g = √(γ · fan_in / fan_out).</summary>
    public static double gain(double gamma, long fan_in, long fan_out) => Math.Sqrt(gamma * fan_in / fan_out);

    /// <summary>The proposed init of one layer: V orthogonal, b = 0, g = <see cref="gain"/>(γ, fans of V).</summary>
    public static void init_(WeightNorm layer, double gamma, Generator? generator = null)
    {
        var (fanIn, fanOut) = init.calculate_fan_in_and_fan_out(layer.weight_v);
        orthogonal_(layer, gain(gamma, fanIn, fanOut), generator);
    }

    /// <summary>V orthogonal (on the (C_out, C_in·k·k) matrix: orthonormal rows, or columns when C_out &gt;
    /// C_in·k·k), b = 0, every g = <paramref name="g"/>. The proposed init with a given gain; g = 1 is the paper's
    /// "g = 1" baseline of Fig. 1.</summary>
    public static void orthogonal_(WeightNorm layer, double g, Generator? generator = null)
    {
        if (layer.mode != WeightNormMode.Normalized)
            throw new ArgumentException($"the proposed init is for W = g·V/‖V‖ (WeightNormMode.Normalized), got {layer.mode}", nameof(layer));
        init.orthogonal_(layer.weight_v, 1, generator);
        if (WeightedLayer.bias(layer.layer) is { } b) init.zeros_(b);
        init.constant_(layer.weight_g, g);
    }
}
