namespace NormFree;

/// <summary>A one-element tensor's value as a .NET number, whatever its dtype. TorchSharp's <c>item&lt;T&gt;()</c>
/// insists that T match the dtype exactly (<c>item&lt;double&gt;()</c> of a float32 loss throws), and its
/// <c>ToDouble()</c> goes through a native Scalar that is left to the finalizer; these read the element directly.</summary>
internal static class TensorValues
{
    /// <summary>The value of a one-element floating-point or integer tensor (any device), as a double.</summary>
    public static double item_double(this Tensor t) => t.dtype switch
    {
        ScalarType.Float32 => t.item<float>(),
        ScalarType.Float64 => t.item<double>(),
        ScalarType.Int64 => t.item<long>(),
        ScalarType.Int32 => t.item<int>(),
        ScalarType.Bool => t.item<bool>() ? 1 : 0,
        _ => Converted(t, ScalarType.Float64, static c => c.item<double>()),
    };

    /// <summary>The value of a one-element integer or bool tensor (any device), as a long.</summary>
    public static long item_long(this Tensor t) => t.dtype switch
    {
        ScalarType.Int64 => t.item<long>(),
        ScalarType.Int32 => t.item<int>(),
        ScalarType.Byte => t.item<byte>(),
        ScalarType.Bool => t.item<bool>() ? 1 : 0,
        _ when torch.is_integral(t.dtype) => Converted(t, ScalarType.Int64, static c => c.item<long>()),
        _ => throw new ArgumentException($"item_long needs an integer tensor, got {t.dtype}", nameof(t)),
    };

    static T Converted<T>(Tensor t, ScalarType dtype, Func<Tensor, T> read)
    {
        using var c = t.to(dtype);
        return read(c);
    }
}
