
namespace NormFree.Data;

/// <summary>Mirrors each image left–right with probability <see cref="p"/>, batched: one gather along the width with
/// a per-image column order (W−1, …, 0 for flipped images, 0, …, W−1 for the others). x (B, C, H, W) → (B, C, H, W).</summary>
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
        var (B, C, H, W) = BatchChecks.Images(x, nameof(RandomHorizontalFlip));
        using var scope = torch.NewDisposeScope();
        var device = x.device;
        var flip = torch.rand([B], generator: generator).lt(p).to(device).view(B, 1, 1, 1);      // (B, 1, 1, 1)
        var forward = torch.arange(W, device: device).view(1, 1, 1, W);
        var backward = forward.flip(3);
        var columns = torch.where(flip, backward, forward).expand(B, C, H, W);
        return x.gather(3, columns).MoveToOuterDisposeScope();
    }

    public override string ToString() => $"RandomHorizontalFlip(p={p})";
}
