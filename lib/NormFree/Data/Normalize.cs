
namespace NormFree.Data;

/// <summary>Per-channel input normalization x ← (x − mean_c) / std_c. The papers differ on it (Farkas: none, pixels in
/// [0, 1]; ConstNet: CIFAR mean/std), so it is a transform a protocol adds or leaves out. Take the statistics from the
/// training set with <see cref="InMemoryDataset.channel_statistics"/> rather than typing them in.
/// x (B, C, H, W) → (B, C, H, W).</summary>
public sealed class Normalize : IBatchTransform
{
    public IReadOnlyList<double> mean { get; }
    public IReadOnlyList<double> std { get; }

    public Normalize(IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        if (mean.Count == 0 || mean.Count != std.Count) throw new ArgumentException($"need one mean and one std per channel, got {mean.Count} and {std.Count}");
        if (std.Any(s => !(s > 0))) throw new ArgumentException("every std must be positive", nameof(std));
        this.mean = mean.ToArray();
        this.std = std.ToArray();
    }

    /// <summary>The statistics of <paramref name="dataset"/>'s inputs (as the loader scales them).</summary>
    public static Normalize from_dataset(InMemoryDataset dataset)
    {
        var (m, s) = dataset.channel_statistics();
        return new Normalize(m, s);
    }

    public Tensor apply(Tensor x, Generator generator)
    {
        var (_, C, _, _) = BatchChecks.Images(x, nameof(Normalize));
        if (C != mean.Count) throw new ArgumentException($"Normalize has {mean.Count} channels, the batch has {C}", nameof(x));
        using var scope = torch.NewDisposeScope();
        var m = torch.tensor(mean.ToArray(), [1, C, 1, 1]).to(x.dtype, x.device);
        var s = torch.tensor(std.ToArray(), [1, C, 1, 1]).to(x.dtype, x.device);
        return x.sub(m).div_(s).MoveToOuterDisposeScope();
    }

    public override string ToString() => $"Normalize(mean=[{string.Join(", ", mean)}], std=[{string.Join(", ", std)}])";
}
