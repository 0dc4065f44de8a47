namespace NormFree.Torch;

// Raw element bytes in and out, for file formats (safetensors) that store any dtype as a byte buffer.
public partial class Tensor
{
    /// <summary>The elements' bytes in row-major order and the machine's (little-endian) byte order, copied to the
    /// CPU: <c>numel() · element size</c> bytes.</summary>
    public unsafe byte[] bytes()
    {
        var result = new byte[numel() * dtype.ElementSize()];
        fixed (byte* p = result) TorchException.Check(Native.nf_tensor_copy_to(Handle, p, result.Length));
        return result;
    }

    /// <summary>A new tensor of <paramref name="dtype"/> and <paramref name="shape"/> whose elements are
    /// <paramref name="data"/> read in row-major order; the byte count must match exactly.</summary>
    public static unsafe Tensor FromBytes(ReadOnlySpan<byte> data, DType dtype, long[] shape, Device? device = null)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"negative dimension in shape [{string.Join(", ", shape)}]");
            n *= d;
        }
        var size = dtype.ElementSize();
        if (n * size != data.Length)
            throw new ArgumentException($"{data.Length} bytes do not hold {dtype} shape [{string.Join(", ", shape)}] ({n} × {size} bytes)");
        var dev = device ?? Device.CPU;
        Native.EnsureLoaded();
        fixed (byte* p = data)
        fixed (long* s = shape)
            return new Tensor(Native.nf_tensor_from_data(p, (int)dtype, s, shape.Length, (int)dev.Type, dev.Index));
    }
}
