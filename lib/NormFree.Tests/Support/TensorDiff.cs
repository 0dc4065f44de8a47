namespace NormFree.Tests;

static class TensorDiff
{
    /// <summary>max |a − b| over every element (a and b broadcast).</summary>
    public static double MaxAbs(Tensor a, Tensor b)
    {
        using var d = a - b;
        using var ad = d.abs();
        using var m = ad.max();
        return m.ToDouble();
    }

    /// <summary>Same shape and every element equal (torch.equal; TorchSharp's <c>Tensor.equal</c> is the element-wise eq).</summary>
    public static bool Identical(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.allclose(b, rtol: 0, atol: 0);
}
