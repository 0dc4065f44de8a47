using NormFree.Analysis;
using NormFree.Init;

namespace NormFree.Tests.Analysis;

public class WeightCorrelationTests
{
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void RandomOrthogonalWeightsAreUncorrelated(ulong seed)
    {
        using var gen = new Generator(seed);
        using var w = torch.empty([16, 8, 3, 3]);
        init.orthogonal_(w, generator: gen); // rows orthonormal: every forward pair has cos 0
        Assert.Equal(0.0, WeightCorrelation.forward(w), 1e-6);
        Assert.InRange(WeightCorrelation.backward(w), -0.2, 0.2);
    }

    [Fact]
    public void ConstantAndZeroWeightsAreFullyCorrelated()
    {
        using var constant = torch.full([6, 4, 3, 3], 0.3);
        Assert.Equal(1.0, WeightCorrelation.forward(constant), 1e-12);
        Assert.Equal(1.0, WeightCorrelation.backward(constant), 1e-12);
        using var zero = torch.zeros([6, 4]);
        Assert.Equal(1.0, WeightCorrelation.forward(zero), 1e-12);
        Assert.Equal(1.0, WeightCorrelation.backward(zero), 1e-12);
    }

    [Theory]
    [InlineData(2, 1UL)]
    [InlineData(4, 2UL)]
    [InlineData(8, 3UL)]
    public void ReplicasOfOrthogonalRowsGiveRMinusOneOverCMinusOne(int r, ulong seed)
    {
        using var gen = new Generator(seed);
        const long cOut = 16;
        using var unique = torch.empty([cOut / r, 32]);
        init.orthogonal_(unique, generator: gen);
        using var w = unique.repeat([r, 1]);
        Assert.Equal((r - 1) / (double)(cOut - 1), WeightCorrelation.forward(w), 1e-6);
    }

    [Fact]
    public void HandComputedPairAndPearson()
    {
        // rows (1, 0) and (1, 1): cos = 1/√2; backward slices (1, 1) and (0, 1): cos = 1/√2 as well
        using var w = torch.tensor(new float[] { 1, 0, 1, 1 }, [2, 2]);
        Assert.Equal(1 / Math.Sqrt(2), WeightCorrelation.forward(w), 1e-6);
        Assert.Equal(1 / Math.Sqrt(2), WeightCorrelation.backward(w), 1e-6);
        // centred rows (1, −1)/… and (0, 0)→ zero slice against a non-zero one counts 0
        Assert.Equal(0.0, WeightCorrelation.forward(w, pearson: true), 1e-6);
        Assert.Throws<ArgumentException>(() => WeightCorrelation.forward(torch.zeros([3])));
    }

    [Fact]
    public void AsymmetryIsZeroForIdenticalChannelsAndMatchesHandComputation()
    {
        using var same = torch.randn([2, 1, 4, 4]).repeat([1, 5, 1, 1]);
        Assert.Equal(0.0, FeatureSymmetry.asymmetry(same));
        // channels (3, 0) and (0, 4) per sample: ‖difference‖ = 5, ‖h‖ = 5
        using var h = torch.tensor(new float[] { 3, 0, 0, 4 }, [1, 2, 2]);
        Assert.Equal(1.0, FeatureSymmetry.asymmetry(h), 1e-6);
        using var zeros = torch.zeros([2, 3, 2, 2]);
        Assert.Equal(0.0, FeatureSymmetry.asymmetry(zeros));
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void AsymmetryIsTheLargestPairwiseChannelDistance(ulong seed)
    {
        torch.manual_seed((long)seed);
        using var h = torch.randn([3, 7, 2, 2], ScalarType.Float64);
        var x = new double[7][];
        for (var c = 0; c < 7; c++) { using var channel = h.select(1, c).contiguous(); x[c] = channel.data<double>().ToArray(); }
        double worst = 0, total = Math.Sqrt(x.Sum(row => row.Sum(v => v * v)));
        for (var a = 0; a < 7; a++)
            for (var b = a + 1; b < 7; b++)
                worst = Math.Max(worst, Math.Sqrt(x[a].Zip(x[b], (u, v) => (u - v) * (u - v)).Sum()));
        Assert.Equal(worst / total, FeatureSymmetry.asymmetry(h), 1e-12);
    }
}
