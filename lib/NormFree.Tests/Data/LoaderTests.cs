using NormFree.Data;

namespace NormFree.Tests.Data;

public class LoaderTests
{
    /// <summary>Example i has every pixel equal to i (float) and label i mod 3, so a batch says which examples it holds.</summary>
    static InMemoryDataset Indexed(long n)
    {
        using var ids = torch.arange(0, n, dtype: ScalarType.Float32);
        var inputs = ids.view(n, 1, 1, 1).expand(n, 1, 2, 2).contiguous();
        var labels = torch.tensor(Enumerable.Range(0, (int)n).Select(i => (long)(i % 3)).ToArray());
        return new InMemoryDataset(inputs, labels, 3, "indexed");
    }

    static long[] Ids(Batch b)
    {
        using var first = b.input.select(3, 0).select(2, 0).select(1, 0);
        return first.data<float>().Select(v => (long)v).ToArray();
    }

    static List<long[]> Epoch(BatchLoader loader, long e, long start = 0) => loader.epoch(e, start).Select(Ids).ToList();

    [Fact]
    public void WithoutShuffleBatchesAreInOrderAndTheLastIsShort()
    {
        using var ds = Indexed(10);
        var loader = new BatchLoader(ds, batch_size: 4);
        Assert.Equal(3, loader.batches_per_epoch);
        var batches = Epoch(loader, 0);
        Assert.Equal([[0L, 1, 2, 3], [4L, 5, 6, 7], [8L, 9]], batches);
    }

    [Fact]
    public void DropLastDropsTheShortBatch()
    {
        using var ds = Indexed(10);
        var loader = new BatchLoader(ds, batch_size: 4, shuffle: true, drop_last: true, seed: 1);
        Assert.Equal(2, loader.batches_per_epoch);
        var batches = Epoch(loader, 0);
        Assert.Equal(2, batches.Count);
        Assert.All(batches, b => Assert.Equal(4, b.Length));
        Assert.Equal(8, batches.SelectMany(b => b).Distinct().Count());
    }

    [Fact]
    public void ShuffleIsAPermutationReproducibleFromSeedAndEpoch()
    {
        using var ds = Indexed(37);
        var loader = new BatchLoader(ds, batch_size: 8, shuffle: true, seed: 42);
        var e0 = Epoch(loader, 0);
        Assert.Equal(Enumerable.Range(0, 37).Select(i => (long)i), e0.SelectMany(b => b).Order());
        Assert.Equal(e0, Epoch(new BatchLoader(ds, batch_size: 8, shuffle: true, seed: 42), 0));
        Assert.NotEqual(e0, Epoch(loader, 1));
        Assert.NotEqual(e0, Epoch(new BatchLoader(ds, batch_size: 8, shuffle: true, seed: 43), 0));
        Assert.NotEqual(Enumerable.Range(0, 37).Select(i => (long)i), e0.SelectMany(b => b));
    }

    [Fact]
    public void ResumingMidEpochYieldsTheSameAugmentedBatches()
    {
        using var ds = Synthetic.blobs(50, [1, 6, 6], 3, seed: 3);
        var loader = new BatchLoader(ds, batch_size: 8, shuffle: true, seed: 5,
            transforms: [new RandomCrop(2), new RandomHorizontalFlip(), new Cutout(2)], mixup_alpha: 1.0);
        var full = loader.epoch(2).Select(b => (b.input.clone().DetachFromDisposeScope(), b.lam)).ToList();
        var tail = loader.epoch(2, start_batch: 4).Select(b => (b.input.clone().DetachFromDisposeScope(), b.lam)).ToList();
        Assert.Equal(full.Count - 4, tail.Count);
        for (var k = 0; k < tail.Count; k++)
        {
            Assert.True(TensorDiff.Identical(full[k + 4].Item1, tail[k].Item1));
            Assert.Equal(full[k + 4].lam, tail[k].lam);
        }
        foreach (var (t, _) in full.Concat(tail)) t.Dispose();
    }

    [Fact]
    public void UInt8PixelsArriveAsFloatsInUnitRange()
    {
        using var pixels = torch.tensor(new byte[] { 0, 51, 255, 102 }, [4, 1, 1, 1]);
        using var labels = torch.tensor(new long[] { 0, 1, 0, 1 });
        using var ds = new InMemoryDataset(pixels.clone(), labels.clone(), 2);
        var loader = new BatchLoader(ds, batch_size: 4);
        foreach (var b in loader.epoch(0))
        {
            Assert.Equal(ScalarType.Float32, b.input.dtype);
            Assert.Equal([0f, 0.2f, 1f, 0.4f], b.input.data<float>());
            Assert.Equal([0L, 1, 0, 1], b.target.data<long>());
        }
    }

    [Fact]
    public void BatchesAreFreedWhenTheNextIsFetched()
    {
        using var ds = Indexed(12);
        var loader = new BatchLoader(ds, batch_size: 4);
        Batch? previous = null;
        foreach (var b in loader.epoch(0))
        {
            if (previous is not null) Assert.True(previous.input.IsInvalid);
            previous = b;
        }
        Assert.True(previous!.input.IsInvalid);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        using var ds = Indexed(4);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader(ds, 0));
        var loader = new BatchLoader(ds, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => loader.epoch(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => loader.epoch(0, start_batch: 3));
        using var x = torch.zeros([4, 2]);
        using var y = torch.zeros([3], ScalarType.Int64);
        Assert.Throws<ArgumentException>(() => new InMemoryDataset(x, y, 2));
    }
}

[Collection(GlobalState.Name)]
public class DataLeakTests
{
    [Fact]
    public void AnEpochOfAugmentedMixedBatchesLeavesNoTensorsBehind()
    {
        using var ds = Synthetic.blobs(40, [3, 8, 8], 4, seed: 1);
        var loader = new BatchLoader(ds, batch_size: 8, shuffle: true, seed: 2,
            transforms: [new RandomCrop(2, "reflect"), new RandomHorizontalFlip(), Normalize.from_dataset(ds), new Cutout(3)], mixup_alpha: 0.5);
        LeakCheck.AssertNoLeak(() =>
        {
            for (var e = 0; e < 2; e++)
                foreach (var b in loader.epoch(e))
                {
                    using var scope = torch.NewDisposeScope();
                    using var logits = b.input.flatten(1).narrow(1, 0, 4);
                    b.loss(logits);
                }
            // Leave one epoch half-way: the enumerator's disposal frees the current batch and the permutation.
            foreach (var b in loader.epoch(2)) if (b.index == 1) break;
        });
    }
}
