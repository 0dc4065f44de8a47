using NormFree.Notebooks;

namespace NormFree.Torch;

// In a notebook a tensor shows as TensorFormatter's text (shape, dtype, device, small values) rather than a
// host's default property dump, which would evaluate properties such as grad.
[TypeFormatterSource(typeof(TensorFormatterSource), PreferredMimeTypes = ["text/plain"])]
public partial class Tensor;

sealed class TensorFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() => [new MimeFormatter<Tensor>("text/plain", TensorFormatter.Format)];
}
