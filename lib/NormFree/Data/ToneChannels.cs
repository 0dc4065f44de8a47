namespace NormFree.Data;

/// <summary>A one-channel image set made three-channel by three tone curves of the same pixels, x^γ for γ in
/// <see cref="Gammas"/>: correlated but distinct channels, as R, G and B are in CIFAR-10. Blumenfeld et al. (2020, §5.1)
/// depend on distinct input channels: an identity ('i') first layer copies them, an averaging ('1') one merges them,
/// and with a single (or replicated) channel the two inits compute the same function.
/// <para>Shapes: inputs (N, 1, H, W) → (N, 3, H, W); uint8 inputs stay uint8 (each curve rounded back to [0, 255]),
/// float inputs in [0, 1] stay float.</para></summary>
public static class ToneChannels
{
    /// <summary>√x, x, x²: channel 1 is the image itself; the other two brighten and darken it.</summary>
    public static readonly IReadOnlyList<double> Gammas = [0.5, 1, 2];

    public static InMemoryDataset expand(InMemoryDataset dataset)
    {
        var shape = dataset.inputs.shape;
        if (shape.Length != 4 || shape[1] != 1)
            throw new ArgumentException($"tone channels expand a one-channel image set (N, 1, H, W), got {dataset}", nameof(dataset));
        using var scope = torch.NewDisposeScope();
        var bytes = dataset.inputs.dtype == ScalarType.Byte;
        var x = bytes ? dataset.inputs.to(ScalarType.Float64).div(255) : dataset.inputs.to(ScalarType.Float64); // (N, 1, H, W) in [0, 1]
        var channels = torch.cat([.. Gammas.Select(g => x.pow(g))], dim: 1);                                      // (N, 3, H, W)
        var inputs = bytes ? channels.mul(255).round().to(ScalarType.Byte) : channels.to(dataset.inputs.dtype);
        return new InMemoryDataset(inputs, dataset.targets.clone(), dataset.num_classes, $"{dataset.name}, tone channels x^{{{string.Join(", ", Gammas)}}}");
    }
}
