using NormFree.Data;

namespace NormFree.Tests.Data;

public class ToneChannelsTests
{
    [Fact]
    public void ThreeDistinctCurvesOfTheSameImageWithTheImageInTheMiddle()
    {
        using var gen = new Generator(3);
        using var pixels = torch.randint(0, 256, [4, 1, 5, 5], ScalarType.Byte, generator: gen);
        using var labels = torch.tensor(new long[] { 0, 1, 2, 1 });
        using var data = new InMemoryDataset(pixels.clone(), labels.clone(), 3);
        using var toned = ToneChannels.expand(data);
        Assert.Equal([4L, 3, 5, 5], toned.inputs.shape);
        Assert.Equal(ScalarType.Byte, toned.inputs.dtype);
        using var middle = toned.inputs.narrow(1, 1, 1);
        Assert.True(middle.eq(pixels).all().item<bool>());                         // γ = 1: the image itself
        using var x = pixels.to(ScalarType.Float64) / 255;
        using var root = toned.inputs.narrow(1, 0, 1).to(ScalarType.Float64) / 255;
        using var square = toned.inputs.narrow(1, 2, 1).to(ScalarType.Float64) / 255;
        Assert.True((root - x.sqrt()).abs().max().ToDouble() <= 0.5 / 255);     // one rounding to uint8
        Assert.True((square - x.square()).abs().max().ToDouble() <= 0.5 / 255);
        Assert.True(toned.targets.eq(labels).all().item<bool>());
    }

    [Fact]
    public void RejectsImagesWithMoreThanOneChannel()
    {
        using var data = new InMemoryDataset(torch.zeros([2, 3, 4, 4]), torch.tensor(new long[] { 0, 1 }), 2);
        Assert.Throws<ArgumentException>(() => ToneChannels.expand(data));
    }
}
