
namespace NormFree.Data;

/// <summary>Cutout (DeVries and Taylor 2017, "Improved Regularization of Convolutional Neural Networks with Cutout"),
/// batched: per image, a centre (cy, cx) uniform over the pixels; rows [cy − s/2, cy + s/2) and columns
/// [cx − s/2, cx + s/2), clipped at the border, are set to zero in every channel. So the patch is
/// s×s away from the border and smaller near it, as in the official code (which applies it after normalization,
/// so its zeros are the mean). x (B, C, H, W) → (B, C, H, W).
/// <para>NOTE: for odd s the official code's patch is (s − 1)×(s − 1) (it uses s // 2 on both sides); so is ours.</para></summary>
public sealed class Cutout : IBatchTransform
{
    public long size { get; }

    public Cutout(long size)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "cutout size must be ≥ 1");
        this.size = size;
    }

    public Tensor apply(Tensor x, Generator generator)
    {
        var (B, _, H, W) = BatchChecks.Images(x, nameof(Cutout));
        using var scope = torch.NewDisposeScope();
        var device = x.device;
        var half = size / 2;
        var cy = torch.randint(0, H, [B, 1], generator: generator).to(device);                   // (B, 1)
        var cx = torch.randint(0, W, [B, 1], generator: generator).to(device);
        var r = torch.arange(H, device: device).view(1, H);
        var c = torch.arange(W, device: device).view(1, W);
        var dr = r - cy;                                                                           // (B, H)
        var dc = c - cx;                                                                           // (B, W)
        var in_rows = dr.ge(-half).mul(dr.lt(half));
        var in_cols = dc.ge(-half).mul(dc.lt(half));
        var patch = in_rows.view(B, 1, H, 1).mul(in_cols.view(B, 1, 1, W));                       // (B, 1, H, W) bool
        var keep = patch.to(x.dtype).neg().add_(1);                                                // 0 in the patch, 1 elsewhere
        return x.mul(keep).MoveToOuterDisposeScope();
    }

    public override string ToString() => $"Cutout(size={size})";
}
