using NormFree.Notebooks;

namespace NormFree.Data;

/// <summary>Batches of a <see cref="InMemoryDataset"/>: optional shuffling, drop-last, the move to a device, uint8 → float
/// [0, 1] scaling, batched transforms (augmentation, normalization) and optional mixup.
/// <para>Reproducible and resumable without saved state: epoch e's permutation is drawn from a generator seeded by
/// (seed, e), and batch b's random transforms from one seeded by (seed, e, b). So <c>epoch(e, start_batch: b)</c>
/// yields exactly what an uninterrupted epoch e yields from batch b on, and the global generator is never touched.</para>
/// <para>Usage: <c>foreach (var batch in loader.epoch(e)) { using var scope = torch.NewDisposeScope(); ... }</c>.
/// A batch is valid until the next one is fetched.</para>
/// <para>The device: the <c>device</c> argument, default cpu (a <see cref="NormFree.Training.Trainer"/> passes its config's). The
/// data set stays where it is (usually the CPU); each batch is gathered there and copied to the device as uint8.
/// NOTE: batches are not staged in pinned (page-locked) host memory, as PyTorch's <c>BatchLoader(pin_memory=True)</c>
/// does to overlap the copy with GPU work: libtorch's pin_memory needs a CUDA build (a CPU-only one refuses it), so that
/// path cannot be checked where the tests run; a CIFAR batch is 128·3·32·32 bytes = 393 KB.</para></summary>
public sealed class BatchLoader
{
    public InMemoryDataset dataset { get; }
    public long batch_size { get; }
    public bool shuffle { get; }
    public bool drop_last { get; }
    public ulong seed { get; }
    public Device device { get; }
    public IReadOnlyList<IBatchTransform> transforms { get; }
    /// <summary>mixup's α (0: off).</summary>
    public double mixup_alpha { get; }

    public BatchLoader(InMemoryDataset dataset, long batch_size, bool shuffle = false, bool drop_last = false, ulong seed = 0,
        Device? device = null, IEnumerable<IBatchTransform>? transforms = null, double mixup_alpha = 0)
    {
        if (batch_size < 1) throw new ArgumentOutOfRangeException(nameof(batch_size), batch_size, "batch size must be ≥ 1");
        if (!(mixup_alpha >= 0)) throw new ArgumentOutOfRangeException(nameof(mixup_alpha), mixup_alpha, "mixup α must be ≥ 0");
        this.dataset = dataset;
        this.batch_size = batch_size;
        this.shuffle = shuffle;
        this.drop_last = drop_last;
        this.seed = seed;
        this.device = (device ?? torch.CPU).EnsureAvailable();
        this.transforms = transforms?.ToArray() ?? [];
        this.mixup_alpha = mixup_alpha;
    }

    /// <summary>Batches per epoch: ⌊N / B⌋ with drop_last, ⌈N / B⌉ without.</summary>
    public long batches_per_epoch => drop_last ? dataset.Count / batch_size : (dataset.Count + batch_size - 1) / batch_size;

    /// <summary>The batches of epoch <paramref name="epoch"/> (0-based), from batch <paramref name="start_batch"/> on.</summary>
    public IEnumerable<Batch> epoch(long epoch, long start_batch = 0)
    {
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "epoch must be ≥ 0");
        if (start_batch < 0 || start_batch > batches_per_epoch)
            throw new ArgumentOutOfRangeException(nameof(start_batch), start_batch, $"an epoch has {batches_per_epoch} batches");
        return Enumerate(epoch, start_batch);
    }

    IEnumerable<Batch> Enumerate(long epoch, long start_batch)
    {
        Tensor? order = null;
        Batch? current = null;
        try
        {
            if (shuffle)
            {
                using var g = new Generator(Mix(seed, (ulong)epoch, ulong.MaxValue));
                order = torch.randperm(dataset.Count, generator: g).DetachFromDisposeScope();
            }
            for (var b = start_batch; b < batches_per_epoch; b++)
            {
                // Every training and evaluation loop fetches batches here: a notebook interrupt stops it between
                // batches (NormFree.Notebooks.Interrupt; never set outside a notebook kernel).
                Interrupt.ThrowIfRequested();
                current?.Dispose();
                current = Make(order, epoch, b);
                yield return current;
            }
        }
        finally
        {
            current?.Dispose();
            order?.Dispose();
        }
    }

    Batch Make(Tensor? order, long epoch, long b)
    {
        using var scope = torch.NewDisposeScope();
        var start = b * batch_size;
        var count = Math.Min(batch_size, dataset.Count - start);
        var indices = order is null ? torch.arange(start, start + count, dtype: ScalarType.Int64) : order.narrow(0, start, count);
        indices = indices.to(dataset.inputs.device);                                             // the data set may live on a GPU
        var x = dataset.inputs.index_select(0, indices).to(device);                              // (B, C, H, W), stored dtype
        var y = dataset.targets.index_select(0, indices).to(device);                             // (B)
        // Pixels travel as uint8 (4× less to copy) and become float [0, 1] on the device.
        x = x.dtype == ScalarType.Byte ? x.to(ScalarType.Float32).div_(255) : x.to(ScalarType.Float32);
        using var g = new Generator(Mix(seed, (ulong)epoch, (ulong)b));
        foreach (var t in transforms) x = t.apply(x, g);
        if (mixup_alpha > 0)
        {
            var (mixed, y_a, y_b, lam) = Mixup.mix(x, y, mixup_alpha, g);
            return new Batch(mixed, y_a, y_b, lam, b);
        }
        return new Batch(x, y, null, 1, b);
    }

    /// <summary>A 64-bit seed from (seed, epoch, batch): SplitMix64 (Steele, Lea, Flood 2014) over the three, so
    /// neighbouring epochs and batches get unrelated streams.</summary>
    static ulong Mix(ulong seed, ulong epoch, ulong batch)
    {
        var h = SplitMix(seed);
        h = SplitMix(h ^ epoch);
        return SplitMix(h ^ batch);
    }

    static ulong SplitMix(ulong z)
    {
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
