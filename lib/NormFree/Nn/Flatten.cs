using NormFree.Torch;

namespace NormFree.Nn;

/// <summary>Flattens dims start_dim..end_dim into one, as torch.nn.Flatten.
/// Shapes (defaults): (B, C, H, W) → (B, C·H·W).</summary>
public sealed class Flatten(long start_dim = 1, long end_dim = -1) : Module
{
    public long start_dim { get; } = start_dim;
    public long end_dim { get; } = end_dim;

    public override Tensor forward(Tensor input) => input.flatten(start_dim, end_dim);

    protected override string extra_repr() => $"start_dim={start_dim}, end_dim={end_dim}";
}
