using NormFree.Nn;
using NormFree.Torch;

namespace NormFree.Data;

/// <summary>Random crop with padding, batched (the CIFAR augmentation of He et al. 2016, §4.2: "4 pixels are padded on
/// each side, and a 32×32 crop is randomly sampled from the padded image"): pad every image by <see cref="padding"/>
/// (zeros, or reflection as in the ConstNet protocol), then take an H×W window at an offset (dy, dx) drawn uniformly
/// from {0, …, 2·padding}² per image. The windows are read with one gather (advanced indexing) for the whole batch.
/// x (B, C, H, W) → (B, C, H, W).</summary>
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
        var padded = F.pad(x, [p, p, p, p], mode);                                                  // (B, C, H+2p, W+2p)
        var device = x.device;
        var dy = torch.randint(0, 2 * p + 1, [B], generator: generator).to(device);              // (B)
        var dx = torch.randint(0, 2 * p + 1, [B], generator: generator).to(device);
        var rows = dy.view(B, 1, 1, 1) + torch.arange(H, device: device).view(1, 1, H, 1);        // (B, 1, H, 1)
        var cols = dx.view(B, 1, 1, 1) + torch.arange(W, device: device).view(1, 1, 1, W);        // (B, 1, 1, W)
        var b = torch.arange(B, device: device).view(B, 1, 1, 1);
        var c = torch.arange(C, device: device).view(1, C, 1, 1);
        return padded.index(b, c, rows, cols).MoveToOuterDisposeScope();                         // (B, C, H, W)
    }

    public override string ToString() => $"RandomCrop(padding={padding}, mode={mode})";
}
