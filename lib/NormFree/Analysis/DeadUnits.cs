using NormFree.Nn;
using NormFree.Torch;

namespace NormFree.Analysis;

/// <summary>Dead units: a unit (a feature of a (B, C) activation) or a channel (of a (B, C, H, W) activation) is
/// dead on a batch when its post-ReLU output is exactly 0 for every sample (and every position) of the batch, so
/// no gradient reaches the weights in front of it from that batch (Lu et al. 2020, "Dying ReLU").
/// <code>  dead_fraction(h) = #{c : h[:, c, ...] = 0 everywhere} / C  </code></summary>
public static class DeadUnits
{
    /// <summary>The per-unit mask (C) of <paramref name="activation"/> (B, C, ...): true where the unit is zero on
    /// the whole batch.</summary>
    public static Tensor dead_mask(Tensor activation)
    {
        if (activation.dim() < 2)
            throw new ArgumentException($"dead units need an activation (B, C, ...), got shape [{string.Join(", ", activation.shape)}]", nameof(activation));
        using var _ = torch.no_grad();
        using var unitsFirst = activation.transpose(0, 1); // (C, B, H, W)
        using var perUnit = unitsFirst.reshape([activation.size(1), -1]); // (C, B·H·W)
        using var magnitude = perUnit.abs();
        var (largest, index) = magnitude.max(1); // (C)
        using (largest)
        using (index)
            return largest.eq(0);
    }

    /// <summary>Fraction of the C units of <paramref name="activation"/> (B, C, ...) that are dead on this batch.</summary>
    public static double fraction(Tensor activation)
    {
        using var mask = dead_mask(activation);
        using var asFloat = mask.to(DType.Float64);
        using var share = asFloat.mean();
        return share.item();
    }

    /// <summary>The dead fraction at the output of every module of type <typeparamref name="T"/> (default use:
    /// <see cref="ReLU"/>) of <paramref name="model"/> on one batch (no gradients, current train/eval mode), in
    /// forward order.</summary>
    public static IReadOnlyList<(string Name, double Fraction)> per_layer<T>(Module model, Tensor input) where T : Module
    {
        var results = new List<(string, double)>();
        using var _ = torch.no_grad();
        using var output = ForwardProbe.run(model, input, m => m is T, (name, h) => results.Add((name, fraction(h))));
        return results;
    }
}
