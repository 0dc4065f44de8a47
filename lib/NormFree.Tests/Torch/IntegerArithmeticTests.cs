using NormFree.Torch;

namespace NormFree.Tests.Torch;

public class IntegerArithmeticTests
{
    [Fact]
    public void IntegerTensorsAddAndSubtractWithWholeAlpha()
    {
        using var a = torch.tensor(new long[] { 1, 2, 3 });
        using var b = torch.tensor(new long[] { 10, 20, 30 });
        using var sum = a + b;
        Assert.Equal([11L, 22, 33], sum.data<long>());
        using var diff = a.sub(b, 2);
        Assert.Equal([-19L, -38, -57], diff.data<long>());
        using var f = torch.tensor(new[] { 1.0, 2.0 });
        using var g = f.add(f, 0.5);
        Assert.Equal([1.5, 3.0], g.data<double>());
    }
}
