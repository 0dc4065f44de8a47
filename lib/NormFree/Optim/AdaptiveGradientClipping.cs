
namespace NormFree.Optim;

/// <summary>Adaptive gradient clipping (AGC), Brock, De, Smith, Simonyan 2021, "High-Performance Large-Scale Image
/// Recognition Without Normalization", §4.1, unit-wise: for every unit i of a weight W (a row of a Linear weight, a
/// filter of a conv weight, the whole tensor for biases and gains),
/// <code>G_i ← λ · max(‖W_i‖, ε) / ‖G_i‖ · G_i   if ‖G_i‖ / max(‖W_i‖, ε) > λ,   G_i otherwise.</code>
/// Norms are Frobenius norms over every dimension but the first (PyTorch keeps the output unit first).
/// <para>The paper does not clip the final classifier layer: pass its parameters as <c>exclude</c> (build the hook
/// after the model is on its device: moving a model replaces its parameters).</para></summary>
public sealed class AdaptiveGradientClipping : IGradientHook
{
    /// <summary>Lower bound on the unit's weight norm so zero-initialised weights can move (the paper's ε = 1e-3).</summary>
    public const double DefaultEps = 1e-3;

    /// <summary>Floor on ‖G_i‖ in the division, as in the official nfnets code (only used where clipping triggers).</summary>
    const double GradFloor = 1e-6;

    public double clipping { get; }
    public double eps { get; }
    readonly HashSet<Parameter> excluded;

    /// <param name="clipping">λ; the paper uses 0.01 at batch 4096 and larger values for smaller batches.</param>
    /// <param name="exclude">Parameters left unclipped (the paper: the final classifier layer).</param>
    public AdaptiveGradientClipping(double clipping, double eps = DefaultEps, IEnumerable<Parameter>? exclude = null)
    {
        excluded = new HashSet<Parameter>(exclude ?? [], ReferenceEqualityComparer.Instance);
        if (!(clipping > 0)) throw new ArgumentOutOfRangeException(nameof(clipping), clipping, "the clipping threshold λ must be positive");
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be non-negative");
        this.clipping = clipping;
        this.eps = eps;
    }

    /// <summary>‖X_i‖ per unit, shaped to broadcast against X: (C_out, 1, ...) for rank ≥ 2, a scalar for rank ≤ 1.</summary>
    public static Tensor unitwise_norm(Tensor x)
    {
        var rank = x.dim();
        if (rank <= 1) return x.norm();
        var dims = Enumerable.Range(1, (int)rank - 1).Select(d => (long)d).ToArray();
        return torch.linalg.vector_norm(x, 2, dims, keepdim: true);
    }

    public void apply(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> grads)
    {
        for (var k = 0; k < grads.Count; k++)
        {
            if (excluded.Contains(parameters[k])) continue;
            var g = grads[k];
            using var w_norm = unitwise_norm(parameters[k]);
            using var max_norm = w_norm.clamp(min: eps).mul_(clipping);          // λ · max(‖W_i‖, ε)
            using var g_norm = unitwise_norm(g);
            using var trigger = g_norm.gt(max_norm);
            using var scale = max_norm.div(g_norm.clamp(min: GradFloor));
            using var one = torch.ones_like(scale);
            using var factor = torch.where(trigger, scale, one);
            g.mul_(factor);
        }
    }
}
