using NormFree.Nn;

namespace NormFree.Data;

/// <summary>Random crop with padding, batched (the CIFAR augmentation of He et al. 2016, §4.2: "4 pixels are padded on
/// each side, and a 32×32 crop is randomly sampled from the padded image"): pad every image by <see cref="padding"/>
/// (zeros, or reflection as in the ConstNet protocol), then take an H×W window at an offset (dy, dx) drawn uniformly
/// from {0, …, 2·padding}² per image. x (B, C, H, W) → (B, C, H, W).
/// <para>The windows are read with one gather over each flattened padded image: pixel (r, c) of image b's window is
/// element (dy_b + r)·W' + dx_b + c of its (H'·W') plane (W' = W + 2·padding). That is several times faster on CPU
/// than advanced indexing with four index tensors.</para></summary>
public sealed class RandomCrop : IBatchTransform
{
    public long padding { get; }
    /// <summary>"constant" (zeros) or "reflect".</summary>
    public string mode { get; }

    public RandomCrop(long padding, string mode = "constant")
    {
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, "padding must be ≥ 0");
        if (mode is not ("constant" or "reflect")) throw new ArgumentException($"unknown padding mode '{mode}': expected constant or reflect", nameof(mode));
        this.padding = padding;
        this.mode = mode;
    }

    public Tensor apply(Tensor x, Generator generator)
    {
        var (B, C, H, W) = BatchChecks.Images(x, nameof(RandomCrop));
        if (mode == "reflect" && (padding >= H || padding >= W))
            throw new ArgumentException($"reflect padding {padding} needs images larger than it, got {H}×{W}", nameof(x));
        using var scope = torch.NewDisposeScope();
        var p = padding;
        var Wp = W + 2 * p;
        var planes = F.pad(x, [p, p, p, p], mode == "reflect" ? PaddingModes.Reflect : PaddingModes.Constant).view(B, C, (H + 2 * p) * Wp);                  // (B, C, H'·W')
        var device = x.device;
        var row_stride = torch.tensor(new[] { Wp }, device: device);
        var dy = torch.randint(0, 2 * p + 1, [B], generator: generator).to(device);              // (B)
        var dx = torch.randint(0, 2 * p + 1, [B], generator: generator).to(device);
        var corner = (dy * row_stride + dx).view(B, 1, 1);                                       // (B, 1, 1)
        var r = torch.arange(H, device: device).view(H, 1);
        var c = torch.arange(W, device: device).view(1, W);
        var window = (r * row_stride + c).view(1, 1, H * W);                                    // (1, 1, H·W)
        var index = (corner + window).expand(B, C, H * W);
        return planes.gather(2, index).view(B, C, H, W).MoveToOuterDisposeScope();
    }

    public override string ToString() => $"RandomCrop(padding={padding}, mode={mode})";
}
