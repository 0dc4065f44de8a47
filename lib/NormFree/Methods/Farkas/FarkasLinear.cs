using NormFree.Nn;

namespace NormFree.Methods.Farkas;

/// <summary>Farkas linear layer, Pooladian et al. (2019), Algorithm 1 with ReLU:
/// y = x Wᵀ, ȳ = agg(−y), b̄ = max(agg(−b[0:n]), b[n]), out = relu(cat[y, ȳ] + cat[b[0:n], b̄]),
/// so at least one unit is active for every input (Theorem 3.2).
/// <para>Shapes: input (*, in_features) → output (*, out_features) with out_features = n + 1 ≥ 2;
/// weight (n, in_features), bias (n + 1).</para>
/// <para>Init (the paper's "standard", PyTorch's default): W, b ~ U(±1/√in_features).</para></summary>
public sealed class FarkasLinear : FarkasLayer
{
    public long in_features { get; }
    public long out_features { get; }

    public FarkasLinear(long in_features, long out_features, Aggregation aggregation = Aggregation.Sum)
        : base(WeightShape(in_features, out_features), aggregation)
    {
        this.in_features = in_features;
        this.out_features = out_features;
    }

    static long[] WeightShape(long in_features, long out_features) => in_features >= 1
        ? [FreeUnits("FarkasLinear", out_features), in_features]
        : throw new ArgumentException($"FarkasLinear needs in_features ≥ 1, got {in_features}");

    public override Tensor preactivation(Tensor input)
    {
        var s = input.shape;
        if (s.Length == 0 || s[^1] != in_features)
            throw new ArgumentException($"FarkasLinear expects input (*, {in_features}), got shape {Shapes.Format(s)}", nameof(input));
        using var y = F.linear(input, weight); // (*, n)
        return FarkasF.preactivation(y, bias, aggregation, -1); // (*, n + 1)
    }

}
