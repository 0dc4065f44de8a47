using NormFree.Analysis;
using NormFree.Methods.ConstNet;
using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Tests.Methods;

public class ConstNetTests
{
    static ResNet Small(bool normalization, int k = 2) =>
        ConstNet.Build(new ConstNetConfig(k, normalization) { BlocksPerStage = 2, InChannels = 3 });

    [Theory]
    [InlineData(true, 1UL)]
    [InlineData(true, 2UL)]
    [InlineData(false, 3UL)]
    [InlineData(false, 4UL)]
    public void LogitsAreExactlyZeroAndEveryLayerHasIdenticalChannels(bool normalization, ulong seed)
    {
        torch.manual_seed((long)seed);
        using var net = Small(normalization);
        using var x = torch.randn([4, 3, 16, 16]);
        using (var logits = net.call(x))
            Assert.Equal(0.0, logits.abs().max().ToDouble());
        var layers = FeatureSymmetry.per_layer<ResidualBlock>(net, x).Append(FeatureSymmetry.per_layer<Conv2d>(net.stem, x)[0]).ToList();
        Assert.Equal(net.blocks.Count + 1, layers.Count);
        // Identical up to float32 rounding: libtorch's CPU conv may sum some output channels in another order
        // (the 1×1 widening skips give ~2e-8 with one intra-op thread), so "identical" is |h_c − h_c'| ≤ 1e-6·|h|.
        Assert.All(layers, l => Assert.True(l.Asymmetry < 1e-6, $"{l.Name}: asymmetry {l.Asymmetry}"));
    }

    [Fact]
    public void EveryConvIsFullyCorrelatedForwardAndBackward()
    {
        using var net = Small(normalization: true);
        var convs = WeightCorrelation.of(net).Where(c => !c.Name.StartsWith("head")).ToList();
        Assert.True(convs.Count >= 8);
        Assert.All(convs, c => { Assert.Equal(1.0, c.Forward, 1e-12); Assert.Equal(1.0, c.Backward, 1e-12); });
    }

    [Theory]
    [InlineData(true, 5UL)]
    [InlineData(false, 6UL)]
    public void AfterTheFirstBackwardOnlyTheClassifierHasAGradient(bool normalization, ulong seed)
    {
        torch.manual_seed((long)seed);
        using var net = Small(normalization);
        using var x = torch.randn([4, 3, 16, 16]);
        using var y = torch.tensor(new long[] { 0, 3, 7, 9 });
        using (var logits = net.call(x))
        using (var loss = F.cross_entropy(logits, y))
            loss.backward();
        foreach (var (name, p) in net.named_parameters())
        {
            using var g = p.grad;
            var norm = g is null ? 0 : g.abs().max().ToDouble();
            if (name.StartsWith("head.fc")) Assert.True(norm > 0, $"{name} should get a gradient");
            else Assert.True(norm == 0, $"{name} got a gradient of max {norm}");
        }
    }

    [Fact]
    public void HeVariantIsNotSymmetric()
    {
        torch.manual_seed(7);
        using var net = ConstNet.Build(new ConstNetConfig(1, Normalization: false, ConstNetInit.He) { BlocksPerStage = 1 });
        using var x = torch.randn([2, 3, 8, 8]);
        Assert.All(FeatureSymmetry.per_layer<ResidualBlock>(net, x), l => Assert.True(l.Asymmetry > 1e-3));
        Assert.All(WeightCorrelation.of(net), c => Assert.True(Math.Abs(c.Forward) < 0.5, $"{c.Name}: {c.Forward}"));
    }

    [Fact]
    public void DropL1BreaksSymmetryOfTheFirstLayerInTrainingOnly()
    {
        torch.manual_seed(8);
        using var net = ConstNet.Build(new ConstNetConfig(1, Normalization: false) { BlocksPerStage = 1, Dropout = 0.1, DropL1 = true });
        using var x = torch.randn([2, 3, 8, 8]);
        Assert.True(FeatureSymmetry.per_layer<Sequential>(net, x).First(l => l.Name == "stem").Asymmetry > 0);
        net.eval();
        Assert.Equal(0.0, FeatureSymmetry.per_layer<Sequential>(net, x).First(l => l.Name == "stem").Asymmetry);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void WeightNoiseIsRelativeToHeScaleForZeroWeights(ulong seed)
    {
        using var gen = new Generator(seed);
        using var net = Small(normalization: false, k: 4);
        ConstNet.AddWeightNoise(net, 1e-2, gen);
        var conv = net.blocks[1].modules().OfType<Conv2d>().First(); // zero at init: 64 → 64, 3×3
        var expected = 1e-2 * Math.Sqrt(2.0 / (64 * 9));
        using var std = conv.weight.std();
        Assert.InRange(std.ToDouble(), 0.9 * expected, 1.1 * expected);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void LeakyNetIdentityPairComputesMinusX(ulong seed)
    {
        torch.manual_seed((long)seed);
        using var first = nn.Conv2d(5, 5, 3, padding: 1, bias: false);
        using var second = nn.Conv2d(5, 5, 3, padding: 1, bias: false);
        first.to(ScalarType.Float64);
        second.to(ScalarType.Float64);
        LeakyNet.init_layer(first.weight, 'i', phase: 1);
        LeakyNet.init_layer(second.weight, 'i', phase: -1 / LeakyNet.Alpha);
        using var x = torch.randn([3, 5, 6, 6], ScalarType.Float64);
        using var h = F.leaky_relu(first.call(x), LeakyNet.Alpha);
        using var y = F.leaky_relu(second.call(h), LeakyNet.Alpha);
        using var sum = y + x;
        Assert.True(sum.abs().max().ToDouble() <= 1e-12 * x.abs().max().ToDouble()); // −x up to one rounding of α·(1/α)
    }

    [Theory]
    [InlineData("iiiiiiiiiiiii")]
    [InlineData("1_1111_1111_1111")]
    [InlineData("hhhhhhhhhhhhh")]
    public void LeakyNetStartsWithAZeroFinalLayer(string init)
    {
        torch.manual_seed(11);
        using var net = new LeakyNet(init, in_channels: 3, normalization: true); // §5.1: "the final layer was initialized to zero"
        using var x = torch.randn([2, 3, 8, 8]);
        using var logits = net.call(x);
        Assert.Equal(0.0, logits.abs().max().ToDouble());
    }

    [Fact]
    public void LeakyNetAllIdentityWithoutBnIsAnEvenNumberOfNegations()
    {
        torch.manual_seed(9);
        using var net = new LeakyNet("iiiiiiiiiiiii", in_channels: 16, normalization: false);
        Assert.Equal(13, net.convs.Count);
        using var x = torch.randn([2, 16, 8, 8]);
        using var logits = net.call(x);
        Assert.Equal([2L, 10L], logits.shape);
        Assert.Throws<ArgumentException>(() => new LeakyNet("iii"));
        Assert.Throws<ArgumentException>(() => new LeakyNet("iiiiiiiiiiiix"));
    }

    [Fact]
    public void AveragingLayerRemovesAZeroChannelMeanPerturbationAndIdentityPassesIt()
    {
        using var gen = new Generator(11);
        using var identity = nn.Conv2d(8, 8, 3, padding: 1, bias: false);
        using var averaging = nn.Conv2d(8, 8, 3, padding: 1, bias: false);
        LeakyNet.init_layer(identity.weight, 'i', 1);
        LeakyNet.init_layer(averaging.weight, '1', 1);
        using var x = torch.randn([2, 8, 6, 6], generator: gen);
        using var delta = Perturbation.zero_channel_mean([2, 8, 6, 6], 1e-2, gen);
        Assert.Equal(1.0, Perturbation.gain(identity, x, delta), 1e-4);
        Assert.True(Perturbation.gain(averaging, x, delta) < 1e-4);
        using var random = torch.randn([2, 8, 6, 6], generator: gen) * 1e-2;
        Assert.InRange(Perturbation.gain(averaging, x, random), 0.5 / Math.Sqrt(8), 2.0 / Math.Sqrt(8)); // ≈ 1/√C_in
    }

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(4, 0.0)]
    [InlineData(4, 0.1)]
    public void ReplicaMlpHasRUniqueFeatures(int replicas, double epsilon)
    {
        using var gen = new Generator(12);
        using var mlp = new ReplicaMlp(20, 16, 10, replicas, epsilon, gen);
        var expected = (replicas - 1) / 15.0; // r replicas of 16/r near-orthogonal random rows
        var rho = WeightCorrelation.forward(mlp.hidden.weight);
        Assert.InRange(rho, expected - 0.15, expected + 0.15);
        Assert.Throws<ArgumentException>(() => new ReplicaMlp(20, 16, 10, 3, 0));
    }
}
