
namespace NormFree.Methods.Farkas;

/// <summary>The Farkas construction as pure tensor functions (Pooladian et al. 2019, Algorithm 1 and 2). With n free
/// pre-activations y and a bias b of length n + 1 (β = b[n] free), the layer's pre-activation is
/// z = cat[y, agg(−y)] + cat[b[0:n], max(agg(−b[0:n]), β)]. Then agg(z[0:n]) + z[n] = agg(b[0:n]) + b̄ ≥ 0 for every
/// input (agg is linear and b̄ ≥ −agg(b[0:n])), so if every free unit is ≤ 0 the extra one is ≥ 0.</summary>
public static class FarkasF
{
    /// <summary>agg(−y) over <paramref name="dim"/>, kept as one unit: (…, n, …) → (…, 1, …). Applied to a weight
    /// (n, in, …) over dim 0 it gives the extra row of the equivalent weight: −Σ wᵢ or −mean(wᵢ) (§3).</summary>
    public static Tensor extra_unit(Tensor y, Aggregation aggregation, long dim)
    {
        using var negative = y.neg();
        return aggregation switch
        {
            Aggregation.Sum => negative.sum(dim, keepdim: true),
            Aggregation.Mean => negative.mean([dim], keepdim: true),
            _ => throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, "unknown aggregation"),
        };
    }

    /// <summary>The bias the n + 1 units use: cat[b[0:n], b̄] with b̄ = max(agg(−b[0:n]), β), β = b[n].
    /// The clamp is what makes the guarantee hold for every value of the free bias entries.
    /// <para>Shapes: (n + 1) → (n + 1).</para></summary>
    public static Tensor clamped_bias(Tensor bias, Aggregation aggregation)
    {
        if (bias.dim() != 1 || bias.size(0) < 2)
            throw new ArgumentException($"a Farkas bias has n + 1 ≥ 2 entries, got shape [{string.Join(", ", bias.shape)}]", nameof(bias));
        var n = bias.size(0) - 1;
        using var free = bias.narrow(0, 0, n); // b[0:n]
        using var beta = bias.narrow(0, n, 1); // β = b[n], (1)
        using var aggregated = extra_unit(free, aggregation, 0); // agg(−b[0:n]), (1)
        using var extra = aggregated.maximum(beta); // b̄ = max(agg(−b[0:n]), β)
        return torch.cat([free, extra], 0);
    }

    /// <summary>z = cat[y, agg(−y)] + cat[b[0:n], b̄] with the units along <paramref name="dim"/> (Algorithm 1, before
    /// the ReLU). <para>Shapes: y (…, n, …), bias (n + 1) → (…, n + 1, …).</para></summary>
    public static Tensor preactivation(Tensor y, Tensor bias, Aggregation aggregation, long dim)
    {
        var rank = y.dim();
        var d = (int)(dim < 0 ? dim + rank : dim);
        if (d < 0 || d >= rank || bias.dim() != 1 || bias.size(0) != y.size(d) + 1)
            throw new ArgumentException($"a Farkas pre-activation needs a bias of n + 1 entries for the n units along dim {dim}: got y [{string.Join(", ", y.shape)}], bias [{string.Join(", ", bias.shape)}]");
        using var extra = extra_unit(y, aggregation, d); // ȳ = agg(−y)
        using var units = torch.cat([y, extra], d); // (…, n + 1, …)
        using var b = clamped_bias(bias, aggregation); // (n + 1)
        var broadcast = new long[rank - d];
        Array.Fill(broadcast, 1L);
        broadcast[0] = b.size(0);
        using var shaped = b.view(broadcast); // (n + 1, 1, …, 1) to line up with dim d
        return units + shaped;
    }
}
