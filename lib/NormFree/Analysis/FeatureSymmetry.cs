using NormFree.Nn;

namespace NormFree.Analysis;

/// <summary>How far a layer's channels are from identical, measured directly on features (Blumenfeld et al. 2020
/// discuss symmetry through weight correlations; this is the feature-space check the workbook adds):
/// <code>  asymmetry(h) = max over channel pairs c &lt; c' of ‖h[:, c] − h[:, c']‖ / ‖h‖  </code>
/// for h (B, C, …) on one batch. It is exactly 0 when every channel is identical — the state a ConstNet starts in —
/// and 0 for an all-zero h. Differences are taken directly (<see cref="torch.cdist"/> with
/// <c>donot_use_mm_for_euclid_dist</c>, never the ‖a‖² + ‖b‖² − 2⟨a, b⟩ matrix-product shortcut), so bitwise-identical
/// channels give exactly 0 and any asymmetry, however small, shows. TorchSharp has no <c>pdist</c>: the C(C − 1)/2 pairs
/// c &lt; c' are the upper triangle of the (C, C) distance matrix (<see cref="torch.triu_indices"/>); one call covers
/// them all, so a wide net (WRN-16-10: 640 channels) costs one kernel per layer.</summary>
public static class FeatureSymmetry
{
    public static double asymmetry(Tensor h)
    {
        if (h.dim() < 2) throw new ArgumentException($"features need a channel dim: (B, C, …), got shape [{string.Join(", ", h.shape)}]", nameof(h));
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var x = h.to(ScalarType.Float64).transpose(0, 1).reshape([h.size(1), -1]); // (C, B·…)
        var total = x.norm().item_double();
        var C = x.size(0);
        if (total == 0 || C < 2) return 0;
        var distances = torch.cdist(x, x, compute_mode: compute_mode.donot_use_mm_for_euclid_dist); // (C, C)
        var pairs = torch.triu_indices(C, C, 1, device: x.device);                                 // (2, C(C − 1)/2)
        return distances.index([pairs[0], pairs[1]]).max().item_double() / total;
    }

    /// <summary><see cref="asymmetry"/> of the output of every module of type <typeparamref name="T"/> in
    /// <paramref name="model"/> on one batch (no gradients, the model's current mode), in forward order.</summary>
    public static IReadOnlyList<(string Name, double Asymmetry)> per_layer<T>(nn.Module<Tensor, Tensor> model, Tensor input) where T : nn.Module<Tensor, Tensor>
    {
        var results = new List<(string, double)>();
        using var _ = torch.no_grad();
        using var output = ForwardProbe.run(model, input, m => m is T, (name, _, h) => results.Add((name, asymmetry(h))));
        return results;
    }
}
