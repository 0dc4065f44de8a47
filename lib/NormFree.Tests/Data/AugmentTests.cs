using NormFree.Data;
using NormFree.Nn;

namespace NormFree.Tests.Data;

public class AugmentTests
{
    static Tensor Images(ulong seed, long b = 6, long c = 3, long h = 8, long w = 10)
    {
        using var g = new Generator(seed);
        return torch.rand([b, c, h, w], generator: g).add_(0.1);   // strictly positive, so zeros mark padding/cutout
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void FlipTwiceIsIdentityAndProbabilityOneFlipsAll(ulong seed)
    {
        using var x = Images(seed);
        using var g = new Generator(seed);
        var all = new RandomHorizontalFlip(1.0);
        using var once = all.apply(x, g);
        using var mirrored = x.flip(3);
        Assert.True(TensorDiff.Identical(once, mirrored));
        using var twice = all.apply(once, g);
        Assert.True(TensorDiff.Identical(twice, x));
        using var none = new RandomHorizontalFlip(0.0).apply(x, g);
        Assert.True(TensorDiff.Identical(none, x));
    }

    [Fact]
    public void HalfFlipMirrorsEachImageOrLeavesItWhole()
    {
        using var x = Images(4, b: 64);
        using var g = new Generator(4);
        using var y = new RandomHorizontalFlip().apply(x, g);
        using var m = x.flip(3);
        var flipped = 0;
        for (var i = 0; i < 64; i++)
        {
            using var yi = y[i];
            using var xi = x[i];
            using var mi = m[i];
            if (TensorDiff.Identical(yi, mi)) flipped++;
            else Assert.True(TensorDiff.Identical(yi, xi));
        }
        Assert.InRange(flipped, 16, 48);
    }

    [Theory]
    [InlineData("constant")]
    [InlineData("reflect")]
    public void CropWithoutPaddingIsIdentity(string mode)
    {
        using var x = Images(5);
        using var g = new Generator(5);
        using var y = new RandomCrop(0, mode).apply(x, g);
        Assert.True(TensorDiff.Identical(y, x));
    }

    [Theory]
    [InlineData("constant", 6UL)]
    [InlineData("reflect", 7UL)]
    [InlineData("constant", 8UL)]
    public void EveryCropIsAWindowOfThePaddedImage(string mode, ulong seed)
    {
        const long p = 2;
        using var x = Images(seed);
        using var g = new Generator(seed);
        using var y = new RandomCrop(p, mode).apply(x, g);
        Assert.Equal(x.shape, y.shape);
        using var padded = F.pad(x, [p, p, p, p], mode == "reflect" ? PaddingModes.Reflect : PaddingModes.Constant);
        var offsets = new HashSet<(long, long)>();
        for (var i = 0; i < x.size(0); i++)
        {
            using var yi = y[i];
            using var pi = padded[i];
            var found = false;
            for (var dy = 0L; dy <= 2 * p && !found; dy++)
                for (var dx = 0L; dx <= 2 * p && !found; dx++)
                {
                    using var rows = pi.narrow(1, dy, x.size(2));
                    using var window = rows.narrow(2, dx, x.size(3));
                    if (TensorDiff.Identical(window, yi)) { found = true; offsets.Add((dy, dx)); }
                }
            Assert.True(found, $"image {i} is not a window of its padded version");
        }
        Assert.True(offsets.Count > 1, "every image got the same offset");
    }

    [Fact]
    public void CutoutZeroesAtMostASquareOfItsSizeInEveryChannel()
    {
        const long size = 4;
        using var x = Images(9, b: 32, h: 12, w: 12);
        using var g = new Generator(9);
        using var y = new Cutout(size).apply(x, g);
        Assert.Equal(x.shape, y.shape);
        using var zero = y.eq(0);
        using var per_channel = zero.sum([2L, 3L]).to(ScalarType.Int64);                          // (B, C)
        var counts = per_channel.data<long>().ToArray();
        var full = 0;
        for (var i = 0; i < 32; i++)
        {
            var c0 = counts[i * 3];
            Assert.All(counts[(i * 3)..(i * 3 + 3)], c => Assert.Equal(c0, c));          // the same patch in every channel
            Assert.InRange(c0, 1, size * size);
            if (c0 == size * size) full++;
        }
        Assert.True(full > 0, "no patch was a full square");
        using var kept = y.ne(0);
        using var unchanged = torch.where(kept, y.eq(x), kept);
        using var same = unchanged.eq(kept).all();
        Assert.True(same.item<bool>());                                                      // outside the patch nothing moves
    }

    [Fact]
    public void CutoutPatchIsARectangle()
    {
        using var x = torch.ones([1, 1, 16, 16]);
        using var g = new Generator(10);
        using var y = new Cutout(6).apply(x, g);
        using var zero = y.eq(0);
        using var zeros_per_row = zero.sum(3);
        using var zeros_per_col = zero.sum(2);
        using var rows = zeros_per_row.gt(0);
        using var cols = zeros_per_col.gt(0);
        var r = rows.sum().item_long();
        var c = cols.sum().item_long();
        Assert.Equal(r * c, zero.sum().item_long());
        Assert.InRange(r, 3, 6);
    }

    [Fact]
    public void NormalizeFromDatasetGivesZeroMeanUnitStd()
    {
        using var ds = Synthetic.blobs(200, [3, 4, 4], 2, seed: 11);
        var norm = Normalize.from_dataset(ds);
        using var g = new Generator(0);
        using var y = norm.apply(ds.inputs, g);
        using var m = y.mean([0L, 2L, 3L]);
        using var s = y.std([0L, 2L, 3L], unbiased: false);
        foreach (var v in m.data<float>()) Assert.Equal(0, v, 1e-4);
        foreach (var v in s.data<float>()) Assert.Equal(1, v, 1e-4);
    }

    [Fact]
    public void TransformsRejectWrongRank()
    {
        using var flat = torch.zeros([4, 10]);
        using var g = new Generator(0);
        IBatchTransform[] all = [new RandomCrop(2), new RandomHorizontalFlip(), new Cutout(3), new Normalize([0.0], [1.0])];
        foreach (var t in all)
            Assert.Contains("[4, 10]", Assert.Throws<ArgumentException>(() => t.apply(flat, g)).Message);
    }
}
