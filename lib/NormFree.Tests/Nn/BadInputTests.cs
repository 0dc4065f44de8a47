using NormFree.Nn;

namespace NormFree.Tests.Nn;

/// <summary>Our layers check their input before libtorch sees it: a wrong rank or channel count is an
/// <see cref="ArgumentException"/> naming the expected layout and the shape that arrived, never a native error
/// (which, inside TorchSharp's autograd.grad, would end the process).</summary>
public class BadInputTests
{
    [Fact]
    public void AWeightNormalisedConvRejectsAWrongRankOrChannelCount()
    {
        using var wn = new WeightNorm(nn.Conv2d(3, 8, 3));
        using var rank3 = torch.zeros([2, 3, 8]);
        var e = Assert.Throws<ArgumentException>(() => wn.call(rank3));
        Assert.Contains("(B, 3, H, W)", e.Message);
        Assert.Contains("[2, 3, 8]", e.Message);
        using var channels4 = torch.zeros([2, 4, 8, 8]);
        e = Assert.Throws<ArgumentException>(() => wn.call(channels4));
        Assert.Contains("(B, 3, H, W)", e.Message);
        Assert.Contains("[2, 4, 8, 8]", e.Message);
    }

    [Fact]
    public void TheLayerIsStillUsableAfterARejectedInput()
    {
        using var wn = new WeightNorm(nn.Conv2d(3, 8, 3, padding: 1));
        using var bad = torch.zeros([3, 8, 8]);
        Assert.Throws<ArgumentException>(() => wn.call(bad));
        using var good = torch.zeros([1, 3, 8, 8]);
        using var y = wn.call(good);
        Assert.Equal([1L, 8, 8, 8], y.shape);
    }
}
