using NormFree.Torch;

namespace NormFree.Data;

/// <summary>Mirrors each image left–right with probability <see cref="p"/>, batched: one flip of the whole batch
/// and a per-image select. x (B, C, H, W) → (B, C, H, W).</summary>
public sealed class RandomHorizontalFlip : IBatchTransform
{
    public double p { get; }

    public RandomHorizontalFlip(double p = 0.5)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "probability must be in [0, 1]");
        this.p = p;
    }

    public Tensor apply(Tensor x, Generator generator)
    {
        var (B, _, _, _) = BatchChecks.Images(x, nameof(RandomHorizontalFlip));
        using var scope = torch.NewDisposeScope();
        var flip = torch.rand([B], generator: generator).lt(p).to(x.device).view(B, 1, 1, 1);   // (B, 1, 1, 1)
        return torch.where(flip, x.flip(3), x).MoveToOuterDisposeScope();
    }

    public override string ToString() => $"RandomHorizontalFlip(p={p})";
}
