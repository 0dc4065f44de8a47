using NormFree.Nn;

namespace NormFree.Data;

/// <summary>A labelled data set held in memory: <see cref="inputs"/> (N, C, H, W) — uint8 pixels in [0, 255] as the
/// files store them (4× less memory; the loader scales them to float [0, 1] per batch), or float — and
/// <see cref="targets"/> (N) int64 class indices in [0, num_classes). The data set owns both tensors.</summary>
public sealed class InMemoryDataset : IDisposable
{
    public Tensor inputs { get; }
    public Tensor targets { get; }
    public int num_classes { get; }
    public string name { get; }

    /// <summary>Takes ownership of <paramref name="inputs"/> and <paramref name="targets"/> (out of any dispose scope).</summary>
    public InMemoryDataset(Tensor inputs, Tensor targets, int num_classes, string name = "")
    {
        var n = inputs.shape;
        var t = targets.shape;
        if (n.Length < 2) throw new ArgumentException($"inputs must be (N, ...) with at least 2 dimensions, got shape {Shapes.Format(n)}", nameof(inputs));
        if (t.Length != 1 || t[0] != n[0])
            throw new ArgumentException($"targets must be (N) = ({n[0]}), got shape {Shapes.Format(t)}", nameof(targets));
        if (targets.dtype != ScalarType.Int64) throw new ArgumentException($"targets must be int64 class indices, got {targets.dtype}", nameof(targets));
        if (num_classes < 1) throw new ArgumentOutOfRangeException(nameof(num_classes), num_classes, "need at least one class");
        if (n[0] > 0)
        {
            using var lo = targets.min();
            using var hi = targets.max();
            if (lo.item_long() < 0 || hi.item_long() >= num_classes)
                throw new ArgumentException($"targets range over [{lo.item_long()}, {hi.item_long()}], outside [0, {num_classes})", nameof(targets));
        }
        this.inputs = inputs.DetachFromDisposeScope();
        this.targets = targets.DetachFromDisposeScope();
        this.num_classes = num_classes;
        this.name = name;
    }

    public long Count => targets.size(0);

    /// <summary>Shape of one example, e.g. (1, 28, 28).</summary>
    public long[] example_shape => inputs.shape[1..];

    /// <summary>A new data set with the examples at <paramref name="indices"/> (copies).</summary>
    public InMemoryDataset subset(Tensor indices) =>
        new(inputs.index_select(0, indices), targets.index_select(0, indices), num_classes, name);

    /// <summary>The first <paramref name="count"/> examples (copies), e.g. a quick profile's smaller training set.</summary>
    public InMemoryDataset take(long count) => slice(0, count);

    /// <summary>The <paramref name="count"/> examples from <paramref name="start"/> on (copies), e.g. a validation split
    /// held out after the training images: <c>full.slice(trainSize, validationSize)</c>.</summary>
    public InMemoryDataset slice(long start, long count)
    {
        if (start < 0 || start > Count) throw new ArgumentOutOfRangeException(nameof(start), start, $"the data set has {Count} examples");
        if (count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{start} + {count} examples asked of a data set of {Count}");
        using var first = inputs.narrow(0, start, count);
        using var labels = targets.narrow(0, start, count);
        return new(first.clone(), labels.clone(), num_classes, name);
    }

    /// <summary>Per-channel mean and standard deviation of the inputs scaled as the loader scales them (uint8 ÷ 255),
    /// for <see cref="Normalize"/>.</summary>
    public (double[] mean, double[] std) channel_statistics()
    {
        using var scope = torch.NewDisposeScope();
        var x = inputs.dtype == ScalarType.Byte ? inputs.to(ScalarType.Float64).div_(255) : inputs.to(ScalarType.Float64);
        var dims = Enumerable.Range(0, (int)x.dim()).Where(d => d != 1).Select(d => (long)d).ToArray();
        return (x.mean(dims).data<double>().ToArray(), x.std(dims, unbiased: false).data<double>().ToArray());
    }

    public void Dispose()
    {
        inputs.Dispose();
        targets.Dispose();
    }

    public override string ToString() => $"InMemoryDataset({name}, {Count} × {Shapes.Format(example_shape)}, {num_classes} classes, {inputs.dtype})";
}
