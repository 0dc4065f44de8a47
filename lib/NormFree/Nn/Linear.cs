using NormFree.Torch;

namespace NormFree.Nn;

/// <summary>Fully connected layer, as torch.nn.Linear: y = x Wᵀ + b.
/// <para>Shapes: input (*, in_features) → output (*, out_features); weight (out_features, in_features),
/// bias (out_features).</para>
/// <para>Init (PyTorch default): W, b ~ U(±1/√in_features).</para></summary>
public sealed class Linear : WeightedLayer
{
    public long in_features { get; }
    public long out_features { get; }

    public Linear(long in_features, long out_features, bool bias = true) : base(WeightShape(in_features, out_features), bias)
    {
        this.in_features = in_features;
        this.out_features = out_features;
        reset_parameters();
    }

    static long[] WeightShape(long in_features, long out_features) => in_features >= 1 && out_features >= 1
        ? [out_features, in_features]
        : throw new ArgumentException($"Linear needs positive sizes, got in_features = {in_features}, out_features = {out_features}");

    public override Tensor forward_with(Tensor input, Tensor weight)
    {
        var s = input.shape;
        if (s.Length == 0 || s[^1] != in_features)
            throw new ArgumentException($"Linear expects input (*, {in_features}), got shape {Shapes.Format(s)}", nameof(input));
        return F.linear(input, weight, bias);
    }

    public override WeightedLayer create_like() => new Linear(in_features, out_features, bias is not null);

    protected override string extra_repr() => $"in_features={in_features}, out_features={out_features}, bias={bias is not null}";
}
