using NormFree.Nn;
using NormFree.Torch;

namespace NormFree.Tests.Torch;

public class SmokeTests
{
    [Fact]
    public void AddsAndReadsBack()
    {
        using var a = torch.tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var b = a + a * 2;
        Assert.Equal(new float[] { 3, 6, 9, 12 }, b.data<float>());
        Assert.Equal(new long[] { 2, 2 }, b.shape);
        using var v = b.view(4);
        Assert.Equal(new long[] { 4 }, v.shape);
        using var z = torch.zeros([3, 5]);
        Assert.Equal(0.0, z.sum().item());
    }

    [Fact]
    public void GradientFlowsThroughConv()
    {
        using var x = torch.randn([2, 3, 8, 8]);
        using var w = torch.randn([4, 3, 3, 3]).requires_grad_();
        using var y = F.conv2d(x, w, null, 1, 1);
        using var s = y.relu().sum();
        s.backward();
        using var g = w.grad!;
        Assert.Equal(new long[] { 4, 3, 3, 3 }, g.shape);
    }

    [Fact]
    public void BadShapeThrowsWithLibtorchMessage()
    {
        using var a = torch.zeros([2, 3]);
        using var b = torch.zeros([4, 5]);
        var e = Assert.Throws<TorchException>(() => a.mm(b));
        Assert.Contains("mm", e.Message);
    }
}
