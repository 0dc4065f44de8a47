using NormFree.Analysis;
using NormFree.Methods.WeightNormInit;
using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Tests.Methods.WeightNormInit;

public class DataDependentInitTests
{
    /// <summary>Per-unit (mean, biased variance) of every WeightNorm output on <paramref name="batch"/>.</summary>
    static List<(string name, float[] mean, float[] variance)> PreActivationMoments(nn.Module<Tensor, Tensor> net, Tensor batch)
    {
        var moments = new List<(string, float[], float[])>();
        using var _ = torch.no_grad();
        using var output = ForwardProbe.run(net, batch, m => m is WeightNorm, (name, _, a) =>
        {
            var dims = Enumerable.Range(0, (int)a.dim()).Where(d => d != 1).Select(d => (long)d).ToArray();
            using var mean = a.mean(dims);
            using var variance = a.var(dims, unbiased: false);
            moments.Add((name, mean.data<float>().ToArray(), variance.data<float>().ToArray()));
        });
        return moments;
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void PreActivationsHaveZeroMeanAndUnitVarianceOnTheInitBatch(ulong seed)
    {
        using var gen = new Generator(seed);
        using var images = torch.randn([16, 1, 8, 8], generator: gen);
        using var shifted = images * 3 + 1; // inputs far from zero-mean, unit-variance
        var config = new ResNetConfig("tiny", BlockKind.Basic, [2, 2], [4, 8], 4, ShortcutKind.Projection) { InChannels = 1 };
        using var resnet = WeightNormResNet.Build(config, WeightNormScheme.DataDependent, shifted, gen);
        using var vectors = torch.randn([32, 12], generator: gen);
        using var mlp = WeightNormMlp.Build(12, [20, 7, 15], 3, WeightNormScheme.DataDependent, vectors, gen);
        foreach (var (net, batch, count) in new (nn.Module<Tensor, Tensor>, Tensor, int)[] { (resnet, shifted, 10), (mlp, vectors, 3) })
        {
            var moments = PreActivationMoments(net, batch);
            Assert.Equal(count, moments.Count); // every weight-normalised layer (stem, 2 convs per block, shortcut)
            foreach (var (name, mean, variance) in moments)
            {
                Assert.All(mean, m => Assert.True(Math.Abs(m) < 1e-4, $"{name}: mean {m}"));
                Assert.All(variance, v => Assert.True(Math.Abs(v - 1) < 1e-3, $"{name}: variance {v}"));
            }
        }
        using var other = torch.randn([16, 1, 8, 8], generator: gen);
        var elsewhere = PreActivationMoments(resnet, other); // the init is fitted to its batch, not to every batch
        Assert.Contains(elsewhere, e => e.mean.Any(m => Math.Abs(m) > 1e-3));
    }

    [Fact]
    public void LayersWithoutABiasAreRefused()
    {
        using var net = nn.Sequential(new WeightNorm(nn.Linear(3, 4, hasBias: false)));
        using var x = torch.randn([5, 3]);
        var e = Assert.Throws<ArgumentException>(() => DataDependentInit.apply(net, x));
        Assert.Contains("no bias", e.Message);
        using var plain = nn.Sequential(nn.Linear(3, 4));
        Assert.Throws<ArgumentException>(() => DataDependentInit.apply(plain, x));
    }
}
