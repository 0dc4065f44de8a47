

namespace NormFree.Nn;

/// <summary>Input checks shared by the layers: a wrong rank or channel count fails fast with an
/// <see cref="ArgumentException"/> that names the expected layout and the shape that arrived.</summary>
internal static class Shapes
{
    public static string Format(long[] shape) => $"[{string.Join(", ", shape)}]";

    /// <summary>Throws unless <paramref name="input"/> has <paramref name="rank"/> dims and, when given,
    /// <paramref name="channels"/> entries along dim 1.</summary>
    public static void Expect(Tensor input, int rank, string module, string layout, long? channels = null)
    {
        var s = input.shape;
        if (s.Length != rank || (channels is { } c && s[1] != c))
            throw new ArgumentException($"{module} expects input {layout}, got shape {Format(s)}", nameof(input));
    }
}
