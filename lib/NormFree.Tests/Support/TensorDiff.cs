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
}
