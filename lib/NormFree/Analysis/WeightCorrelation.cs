using NormFree.Nn;

namespace NormFree.Analysis;

/// <summary>A layer's forward and backward weight correlation (Blumenfeld et al. 2020, eqs. 5–6).</summary>
public sealed record LayerCorrelation(string Name, double Forward, double Backward);

/// <summary>Feature correlations of a weight W (C_out, C_in, k, k) — a Linear weight (out, in) is a conv with 1×1
/// extent — as Blumenfeld et al. (2020), eqs. 5–6:
/// <code>
///   ρ_fwd = mean over pairs i &lt; j of cos(W_i^out, W_j^out)    (slices W[i, :, :, :], one per output channel)
///   ρ_bwd = mean over pairs i &lt; j of cos(W_i^in,  W_j^in)     (slices W[:, i, :, :], one per input channel)
/// </code>
/// Random init gives ≈ 0, identical slices 1, r replicas of orthogonal slices (r − 1)/(C − 1). A zero slice counts as
/// identical to another zero slice (cos = 1) and unrelated to a non-zero one (cos = 0), so an all-zero weight — a
/// ConstNet block at init — is fully correlated (ρ = 1).
/// <para>With <c>pearson: true</c> each slice is centred first (Pearson correlation; the public code logs
/// −log|ρ| of that variant).</para></summary>
public static class WeightCorrelation
{
    public static double forward(Tensor weight, bool pearson = false) => mean_pairwise_cosine(flatten(weight, 0), pearson);

    public static double backward(Tensor weight, bool pearson = false) => mean_pairwise_cosine(flatten(weight, 1), pearson);

    /// <summary>ρ_fwd and ρ_bwd of every Conv2d and Linear of <paramref name="model"/> (weight-normalised layers
    /// included), in forward registration order.</summary>
    public static IReadOnlyList<LayerCorrelation> of(nn.Module<Tensor, Tensor> model, bool pearson = false) =>
        model.named_modules().Where(e => WeightedLayer.Is(e.module)).Select(e =>
        {
            var w = WeightedLayer.weight((nn.Module<Tensor, Tensor>)e.module);
            return new LayerCorrelation(e.name, forward(w, pearson), backward(w, pearson));
        }).ToList();

    /// <summary>(slices, rest): slice index taken along <paramref name="dim"/>.</summary>
    static Tensor flatten(Tensor weight, long dim)
    {
        if (weight.dim() is not (2 or 4))
            throw new ArgumentException($"weight correlation needs a Linear (out, in) or conv (C_out, C_in, k, k) weight, got shape [{string.Join(", ", weight.shape)}]", nameof(weight));
        using var moved = weight.transpose(0, dim);
        return moved.reshape([moved.size(0), -1]);
    }

    /// <summary>Mean of cos(rows_i, rows_j) over pairs i ≠ j of a (n, d) matrix, computed in float64.</summary>
    static double mean_pairwise_cosine(Tensor rowsIn, bool pearson)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var rows = rowsIn.to(ScalarType.Float64);
        rowsIn.Dispose();
        var n = rows.size(0);
        if (n < 2) return 1;
        if (pearson) rows = rows - rows.mean([1], keepdim: true);
        var norms = torch.linalg.vector_norm(rows, 2, [1], keepdim: true); // (n, 1)
        var zero = norms.eq(0).to(ScalarType.Float64); // (n, 1): 1 for a zero slice
        var unit = rows / (norms + zero); // zero slices stay zero
        var gram = unit.matmul(unit.t()) + zero.matmul(zero.t()); // cos, with zero·zero pairs counted as 1
        var offDiagonalSum = gram.sum().item_double() - torch.diag(gram).sum().item_double();
        return offDiagonalSum / (n * (n - 1));
    }
}
