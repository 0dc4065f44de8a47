using NormFree.Nn;

namespace NormFree.Analysis;

/// <summary>The norms ‖W_o‖₂ of one layer's filters (one per output unit o, over its fan-in C_in·k·k).</summary>
public sealed record LayerFilterNorms(string Name, double[] Norms)
{
    public double Mean => Norms.Average();
    public double Min => Norms.Min();
    public double Max => Norms.Max();
}

/// <summary>Filter norms of every <see cref="WeightedLayer"/> (Linear, Conv2d) of a model, in registration order.
/// Inside a <see cref="WeightNorm"/> the layer's weight is the direction V, so its entry (named "….layer") gives
/// ‖V_o‖, the scale that sets the effective step of the scale-invariant direction (Salimans &amp; Kingma 2016,
/// §2.1); the gains are the WeightNorm's own <c>weight_g</c>.</summary>
public static class FilterNorms
{
    /// <summary>‖W_o‖₂ for each output unit of <paramref name="weight"/> (C_out, ...), in float64.</summary>
    public static double[] of(Tensor weight)
    {
        if (weight.dim() < 2)
            throw new ArgumentException($"filter norms need a weight (C_out, ...), got shape [{string.Join(", ", weight.shape)}]", nameof(weight));
        using var _ = torch.no_grad();
        using var w = weight.to(ScalarType.Float64);
        using var rows = w.reshape([w.size(0), -1]); // (C_out, fan_in)
        using var norms = torch.linalg.vector_norm(rows, 2, [1]); // (C_out)
        return norms.data<double>().ToArray();
    }

    public static IReadOnlyList<LayerFilterNorms> of(nn.Module<Tensor, Tensor> model) =>
        WeightedLayers(model).Select(e => new LayerFilterNorms(e.name, of(WeightedLayer.weight(e.layer)))).ToList();

    /// <summary>Every weighted layer of <paramref name="model"/> with its dotted name.</summary>
    internal static IEnumerable<(string name, nn.Module<Tensor, Tensor> layer)> WeightedLayers(nn.Module<Tensor, Tensor> model) =>
        model.named_modules().Where(e => WeightedLayer.Is(e.module)).Select(e => (e.name, (nn.Module<Tensor, Tensor>)e.module));
}
