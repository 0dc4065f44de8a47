using NormFree.Analysis;
using NormFree.Methods.Farkas;
using NormFree.Nn;

namespace NormFree.Tests.Methods.Farkas;

public class NarrowMlpTests
{
    [Fact]
    public void BothNetsHaveTheSameWidthsAndShapes()
    {
        using var plain = NarrowMlp.Build(12, 3, 4, 5, farkas: false);
        using var farkas = NarrowMlp.Build(12, 3, 4, 5, farkas: true);
        using var x = torch.rand([6, 1, 3, 4]);
        using var yp = plain.call(x);
        using var yf = farkas.call(x);
        Assert.Equal(new long[] { 6, 5 }, yp.shape);
        Assert.Equal(new long[] { 6, 5 }, yf.shape);
        Assert.Equal(new long[] { 2, 12 }, ((FarkasLinear)farkas[1]).weight.shape); // 2 free + 1 aggregated = width 3
        Assert.Equal(new long[] { 3, 3 }, ((Linear)((Sequential)plain[2])[0]).weight.shape);
        Assert.Throws<ArgumentException>(() => NarrowMlp.Build(12, 1, 4, 5, farkas: false));
        Assert.Throws<ArgumentException>(() => NarrowMlp.Build(12, 3, 0, 5, farkas: true));
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void WithEveryHiddenBiasAtMinusTenThePlainNetIsBornDeadAndTheFarkasNetIsNot(ulong seed)
    {
        torch.manual_seed((long)seed);
        using var plain = NarrowMlp.Build(16, 3, 6, 4, farkas: false);
        using var farkas = NarrowMlp.Build(16, 3, 6, 4, farkas: true);
        using (torch.no_grad())
            foreach (var net in new[] { plain, farkas })
                foreach (var (name, p) in net.named_parameters())
                    if (name.StartsWith("hidden") && name.EndsWith("bias")) p.fill_(-10);
        using var x = torch.randn([32, 16]);
        using var yp = plain.call(x);
        using var yf = farkas.call(x);
        Assert.True(DeadUnits.is_constant(yp));
        Assert.False(DeadUnits.is_constant(yf));
    }
}
