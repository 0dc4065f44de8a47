using NormFree.Nn;
using NormFree.Torch;

namespace NormFree.Tests.Torch;

/// <summary>Issue 2, acceptance 5: bad input gives a .NET exception carrying libtorch's explanation, never a crash,
/// and leaves every other tensor usable.</summary>
public class BadInputTests
{
    static void Throws(Func<Tensor> call, params string[] fragments)
    {
        var e = Assert.Throws<TorchException>(() => { using var _ = call(); });
        foreach (var f in fragments) Assert.Contains(f, e.Message);
    }

    [Fact]
    public void WrongShapes()
    {
        using var a = torch.zeros([2, 3]);
        using var b = torch.zeros([4, 5]);
        Throws(() => a.mm(b), "aten::mm", "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
        Throws(() => F.linear(a, b), "shapes cannot be multiplied");
        Throws(() => a.view(7), "shape '[7]' is invalid for input of size 6");
        Throws(() => torch.cat([a, b]), "Sizes of tensors must match except in dimension 0");
        using var row = torch.zeros([4]);
        Throws(() => a + row, "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1");
        using var image = torch.zeros([1, 3, 8, 8]);
        using var weight = torch.zeros([4, 2, 3, 3]);
        Throws(() => F.conv2d(image, weight), "expected input[1, 3, 8, 8] to have 2 channels, but got 3 channels instead");
        Throws(() => F.conv2d(a, weight), "4D (batched) input to conv2d, but got input of size: [2, 3]");
        using var small = torch.zeros([1, 1, 2, 2]);
        Throws(() => F.pad(small, [3, 3, 0, 0], "reflect"), "Padding size should be less than the corresponding input dimension");
        Throws(() => torch.empty([-1]), "negative dimension -1");
        // libtorch 1.13 would read past a short list here and crash; the wrapper refuses it first.
        var e = Assert.Throws<ArgumentException>(() => F.pad(small, [], "reflect"));
        Assert.Contains("reflect padding takes 4 values", e.Message);
    }

    [Fact]
    public void WrongDtypes()
    {
        using var a = torch.zeros([2, 3]);
        using var floatIndex = torch.zeros([1]);
        Throws(() => a.index_select(0, floatIndex), "Expected dtype int32 or int64 for index");
        using var int32Index = torch.zeros([2, 3], DType.Int32);
        Throws(() => a.gather(1, int32Index), "gather(): Expected dtype int64 for index");
        using var doubles = torch.zeros([3, 2], DType.Float64);
        Throws(() => a.mm(doubles), "expected scalar type Float but found Double");
        using var floatTarget = torch.zeros([2]);
        Throws(() => F.cross_entropy(a, floatTarget), "expected scalar type Long but found Float");
        var e = Assert.Throws<InvalidOperationException>(() => a.data<double>());
        Assert.Contains("Float32", e.Message);
    }

    [Fact]
    public void OutOfRangeIndices()
    {
        using var a = torch.zeros([2, 3]);
        Throws(() => a.select(0, 5), "index 5 out of range for tensor of size [2, 3] at dimension 0");
        Throws(() => a[5], "index 5 out of range");
        using var far = torch.tensor(new long[] { 10 });
        Throws(() => a.index_select(1, far), "id=10 axis_dim=3");
        using var gatherIndex = torch.tensor(new long[] { 0, 10, 1, 2, 0, 1 }, [2, 3]);
        Throws(() => a.gather(1, gatherIndex), "index 10 is out of bounds for dimension 1 with size 3");
        using var three = torch.tensor(new long[] { 3 });
        Throws(() => a.index(three), "index 3 is out of bounds for dimension 0 with size 2");
        Throws(() => a.narrow(1, 2, 5), "start (2) + length (5) exceeds dimension size (3)");
        Throws(() => a.transpose(0, 5), "Dimension out of range (expected to be in range of [-2, 1], but got 5)");
        using var target = torch.tensor(new long[] { 7, 0 });
        Throws(() => F.cross_entropy(a, target), "Target 7 is out of bounds");
        Assert.Throws<ArgumentOutOfRangeException>(() => a.size(2));
    }

    [Fact]
    public void UseAfterDisposeThrowsObjectDisposed()
    {
        using var a = torch.ones([2]);
        var d = torch.ones([2]);
        d.Dispose();
        d.Dispose();                                       // twice is harmless
        Assert.True(d.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => d.exp());
        Assert.Throws<ObjectDisposedException>(() => a + d);
        Assert.Throws<ObjectDisposedException>(() => torch.cat([a, d]));
        Assert.Throws<ObjectDisposedException>(() => d.shape);
        Assert.Throws<ObjectDisposedException>(() => d.data<float>());
        Assert.Throws<ObjectDisposedException>(() => d.requires_grad = true);
        var g = new Generator(1);
        g.Dispose();
        Assert.Throws<ObjectDisposedException>(() => torch.randn([2], generator: g));
        Assert.Equal(2.0, a.sum().item());
    }

    [Fact]
    public void AutogradMisuseCarriesLibtorchsMessage()
    {
        using var x = torch.ones([3]).requires_grad_();
        using var y = x * 2;
        var e = Assert.Throws<TorchException>(() => y.backward());
        Assert.Contains("grad can be implicitly created only for scalar outputs", e.Message);
        using var constant = torch.ones([1]);
        using var s = constant.sum();
        e = Assert.Throws<TorchException>(() => torch.grad([s], [constant]));
        Assert.Contains("does not require grad", e.Message);
    }
}
