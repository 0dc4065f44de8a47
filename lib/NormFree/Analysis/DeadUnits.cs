using NormFree.Torch;

namespace NormFree.Analysis;

/// <summary>Dead ReLU units and "born dead" networks. A layer is dead on a sample when none of its units is active
/// (every output ≤ 0, i.e. every ReLU output 0): nothing passes forward and no gradient flows back through it. A
/// network is born dead (Lu et al. 2019, "Dying ReLU and initialization", Def. 1) when at initialisation it computes a
/// constant function on the data: some layer is dead on every input. Pooladian et al. (2019), §2 and Figure 1, motivate
/// Farkas layers with exactly this.</summary>
public static class DeadUnits
{
    /// <summary>Fraction of samples on which every unit of <paramref name="h"/> (B, …) is ≤ 0: the layer is dead on
    /// that sample. For a ReLU output, the samples whose whole feature map is 0.</summary>
    public static double dead_fraction(Tensor h)
    {
        if (h.dim() < 2) throw new ArgumentException($"activations need a batch dim and units: (B, …), got shape [{string.Join(", ", h.shape)}]", nameof(h));
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var active = h.reshape([h.size(0), -1]).max(1).values.gt(0); // (B): some unit > 0
        return 1 - active.to(DType.Float64).mean().item();
    }

    /// <summary>Whether <paramref name="output"/> (B, …) is the same for every sample: the largest spread
    /// max_b − min_b over any output coordinate is at most <paramref name="tolerance"/> × (1 + max |output|). A born-dead
    /// net's output is exactly its last bias for every input (spread 0); the relative tolerance only absorbs float
    /// rounding.</summary>
    public static bool is_constant(Tensor output, double tolerance = 1e-6)
    {
        if (output.dim() < 1 || output.size(0) < 2) throw new ArgumentException($"need a batch of at least two samples: (B, …), got shape [{string.Join(", ", output.shape)}]", nameof(output));
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var flat = output.to(DType.Float64).reshape([output.size(0), -1]); // (B, D)
        var spread = (flat.max(0).values - flat.min(0).values).max().item();
        var scale = flat.abs().max().item();
        return spread <= tolerance * (1 + scale);
    }
}
