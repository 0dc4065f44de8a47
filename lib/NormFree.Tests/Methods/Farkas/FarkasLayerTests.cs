using NormFree.Methods.Farkas;
using NormFree.Nn;

namespace NormFree.Tests.Methods.Farkas;

public class FarkasLayerTests
{
    static FarkasLinear HandLinear(Aggregation aggregation, float beta)
    {
        var layer = new FarkasLinear(2, 4, aggregation);
        using var _ = torch.no_grad();
        using var w = torch.tensor(new float[] { 1, 2, -1, 0, 0.5f, -1 }, [3, 2]);
        using var b = torch.tensor(new float[] { 0.5f, -1, 2, beta });
        layer.weight.copy_(w);
        layer.bias.copy_(b);
        return layer;
    }

    // x = [[1, −1], [2, 0.5]]: y = x Wᵀ = [[−1, −1, 1.5], [3, −2, 0.5]]; b[0:3] = (0.5, −1, 2), Σ = 1.5.
    [Theory]
    // sum: ȳ = −Σy = (0.5, −1.5); b̄ = max(−1.5, β)
    [InlineData(Aggregation.Sum, -3f, new float[] { -0.5f, -2, 3.5f, -1, 3.5f, -3, 2.5f, -3 })] // b̄ = −1.5
    [InlineData(Aggregation.Sum, 4f, new float[] { -0.5f, -2, 3.5f, 4.5f, 3.5f, -3, 2.5f, 2.5f })] // b̄ = β = 4
    // mean: ȳ = −mean(y) = (1/6, −1/2); b̄ = max(−0.5, β)
    [InlineData(Aggregation.Mean, -3f, new float[] { -0.5f, -2, 3.5f, -1f / 3, 3.5f, -3, 2.5f, -1 })] // b̄ = −0.5
    [InlineData(Aggregation.Mean, 4f, new float[] { -0.5f, -2, 3.5f, 25f / 6, 3.5f, -3, 2.5f, 3.5f })] // b̄ = β = 4
    public void LinearPreactivationMatchesHandComputation(Aggregation aggregation, float beta, float[] expected)
    {
        using var layer = HandLinear(aggregation, beta);
        using var x = torch.tensor(new float[] { 1, -1, 2, 0.5f }, [2, 2]);
        using var z = layer.preactivation(x);
        Assert.Equal(new long[] { 2, 4 }, z.shape);
        var got = z.data<float>();
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], got[i], 1e-5);
        using var y = layer.call(x);
        var relu = y.data<float>();
        for (var i = 0; i < expected.Length; i++) Assert.Equal(Math.Max(expected[i], 0f), relu[i], 1e-5);
    }

    [Fact]
    public void EquivalentWeightAppendsMinusTheAggregateOfTheRows()
    {
        using var sum = HandLinear(Aggregation.Sum, 0);
        using var mean = HandLinear(Aggregation.Mean, 0);
        using var ws = sum.equivalent_weight();
        using var wm = mean.equivalent_weight();
        // rows (1, 2), (−1, 0), (0.5, −1): −Σ = (−0.5, −1), −mean = (−1/6, −1/3)
        Assert.Equal(new float[] { 1, 2, -1, 0, 0.5f, -1, -0.5f, -1 }, ws.data<float>());
        var m = wm.data<float>();
        Assert.Equal(-1.0 / 6, m[6], 1e-6);
        Assert.Equal(-1.0 / 3, m[7], 1e-6);
    }

    [Theory]
    [InlineData(Aggregation.Sum, 1UL)]
    [InlineData(Aggregation.Mean, 2UL)]
    public void ConvEqualsThePlainConvWithTheEquivalentWeights(Aggregation aggregation, ulong seed)
    {
        torch.manual_seed((long)seed);
        using var layer = new FarkasConv2d(3, 6, 3, stride: 2, aggregation: aggregation);
        layer.to(ScalarType.Float64);
        using var x = torch.randn([2, 3, 7, 7], ScalarType.Float64);
        using var z = layer.preactivation(x);
        using var w = layer.equivalent_weight();
        using var b = layer.equivalent_bias();
        using var expected = F.conv2d(x, w, b, [2, 2], [1, 1]);
        Assert.Equal(new long[] { 2, 6, 4, 4 }, z.shape);
        Assert.True(z.allclose(expected, 1e-12, 1e-12));
        // The extra channel is −agg of the free ones at every pixel, plus b̄.
        using var free = z.narrow(1, 0, 5);
        using var freeBias = b.narrow(0, 0, 5);
        using var y = free - freeBias.view(5, 1, 1);
        using var agg = aggregation == Aggregation.Sum ? y.sum(1) : y.mean([1L]);
        using var extra = z.select(1, 5);
        using var recovered = extra - b.narrow(0, 5, 1);
        using var negAgg = agg.neg();
        Assert.True(recovered.allclose(negAgg, 1e-12, 1e-12));
    }

    [Fact]
    public void OutputShapesAddOneUnitAndBadSizesThrow()
    {
        using var lin = new FarkasLinear(5, 4);
        Assert.Equal(new long[] { 3, 5 }, lin.weight.shape);
        Assert.Equal(new long[] { 4 }, lin.bias.shape);
        Assert.Equal(3L, lin.free_units);
        using var x = torch.randn([2, 3, 5]);
        using var y = lin.call(x);
        Assert.Equal(new long[] { 2, 3, 4 }, y.shape); // n = 3 free → n + 1 = 4, any leading dims
        using var conv = new FarkasConv2d(3, 6, 3);
        Assert.Equal(new long[] { 5, 3, 3, 3 }, conv.weight.shape);
        using var img = torch.randn([2, 3, 7, 7]);
        using var c = conv.call(img);
        Assert.Equal(new long[] { 2, 6, 7, 7 }, c.shape);
        Assert.Throws<ArgumentException>(() => new FarkasLinear(3, 1));
        Assert.Throws<ArgumentException>(() => new FarkasConv2d(3, 1, 3));
        var e = Assert.Throws<ArgumentException>(() => lin.call(img));
        Assert.Contains("(*, 5)", e.Message);
        Assert.Contains("[2, 3, 7, 7]", e.Message);
        e = Assert.Throws<ArgumentException>(() => conv.call(x));
        Assert.Contains("(B, 3, H, W)", e.Message);
        Assert.Contains("[2, 3, 5]", e.Message);
    }

    [Fact]
    public void DefaultInitIsUniformWithTheFanIn()
    {
        torch.manual_seed(5);
        using var conv = new FarkasConv2d(4, 9, 3);
        var bound = 1 / Math.Sqrt(4 * 9); // fan_in = C_in·k·k
        foreach (var p in new[] { conv.weight, conv.bias })
        {
            using var a = p.abs();
            using var m = a.max();
            Assert.InRange(m.ToDouble(), 0.8 * bound, bound);
        }
    }
}
