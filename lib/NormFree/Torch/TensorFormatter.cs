using System.Globalization;
using System.Text;

namespace NormFree.Torch;

/// <summary>A short readable text for a tensor: shape, dtype, device and (for small tensors) the values.</summary>
public static class TensorFormatter
{
    const int MaxShown = 64;

    public static string Format(Tensor t)
    {
        if (t.IsDisposed) return "tensor(disposed)";
        var shape = t.shape;
        var head = $"tensor [{string.Join(", ", shape)}] {t.dtype.ToString().ToLowerInvariant()} {t.device}";
        var n = t.numel();
        if (n == 0 || n > MaxShown) return head;
        using var values = t.detach().to(DType.Float64, Device.CPU);
        var v = values.data<double>();
        var sb = new StringBuilder(head).Append('\n');
        Append(sb, v, shape, 0, 0);
        return sb.ToString();
    }

    static int Append(StringBuilder sb, double[] v, long[] shape, int dim, int offset)
    {
        if (dim == shape.Length) { sb.Append(v[offset].ToString("G5", CultureInfo.InvariantCulture)); return offset + 1; }
        sb.Append('[');
        for (var k = 0; k < shape[dim]; k++)
        {
            if (k > 0) sb.Append(dim == shape.Length - 1 ? ", " : ",\n" + new string(' ', dim + 1));
            offset = Append(sb, v, shape, dim + 1, offset);
        }
        sb.Append(']');
        return offset;
    }
}
