using NormFree.Nn;

namespace NormFree.Data;

/// <summary>One batch from a <see cref="BatchLoader"/>: <see cref="input"/> (B, C, H, W) float32 on the loader's device
/// (augmented, normalized, mixed), <see cref="target"/> (B) int64, and with mixup the permuted targets
/// <see cref="target_b"/> and the weight <see cref="lam"/>. The loader owns the tensors and frees them when the next
/// batch is fetched or the epoch's enumeration ends; clone anything you keep.</summary>
public sealed class Batch : IDisposable
{
    public Tensor input { get; }
    public Tensor target { get; }
    public Tensor? target_b { get; }
    public double lam { get; }
    /// <summary>Position of this batch in its epoch (0-based).</summary>
    public long index { get; }

    internal Batch(Tensor input, Tensor target, Tensor? target_b, double lam, long index)
    {
        this.input = input.DetachFromDisposeScope();
        this.target = target.DetachFromDisposeScope();
        this.target_b = target_b?.DetachFromDisposeScope();
        this.lam = lam;
        this.index = index;
    }

    public long size => target.size(0);

    /// <summary>The training loss of <paramref name="logits"/> (B, K): cross-entropy against <see cref="target"/>, or the
    /// mixup loss λ·CE(y_a) + (1 − λ)·CE(y_b) when the batch is mixed.</summary>
    public Tensor loss(Tensor logits, double label_smoothing = 0) => target_b is null
        ? F.cross_entropy(logits, target, label_smoothing: label_smoothing)
        : Mixup.loss(logits, target, target_b, lam, label_smoothing);

    public void Dispose()
    {
        input.Dispose();
        target.Dispose();
        target_b?.Dispose();
    }
}
