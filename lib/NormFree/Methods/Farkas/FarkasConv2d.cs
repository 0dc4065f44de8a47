using NormFree.Nn;

namespace NormFree.Methods.Farkas;

/// <summary>Farkas convolution, Pooladian et al. (2019), Algorithm 1 with conv2d and the aggregation over channels:
/// y = W ⋆ x (n channels), ȳ = agg_c(−y), out = relu(cat_c[y, ȳ] + cat[b[0:n], max(agg(−b[0:n]), b[n])]),
/// so at every pixel of every sample at least one channel is active.
/// <para>Shapes: input (B, in_channels, H, W) → output (B, out_channels, H', W') with out_channels = n + 1 ≥ 2 and
/// H' = ⌊(H + 2·padding − k) / stride⌋ + 1; weight (n, in_channels, k, k), bias (n + 1).</para>
/// <para>Init (the paper's "standard", PyTorch's default): W, b ~ U(±1/√fan_in), fan_in = in_channels·k·k.</para></summary>
public sealed class FarkasConv2d : FarkasLayer
{
    public long in_channels { get; }
    public long out_channels { get; }
    public long kernel_size { get; }
    public long stride { get; }
    public long padding { get; }

    /// <param name="padding">Default k/2 ("same" for odd k), as in the reference code.</param>
    public FarkasConv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long? padding = null,
        Aggregation aggregation = Aggregation.Sum)
        : base(WeightShape(in_channels, out_channels, kernel_size, stride, padding ?? kernel_size / 2), aggregation)
    {
        this.in_channels = in_channels;
        this.out_channels = out_channels;
        this.kernel_size = kernel_size;
        this.stride = stride;
        this.padding = padding ?? kernel_size / 2;
    }

    static long[] WeightShape(long in_channels, long out_channels, long kernel_size, long stride, long padding) =>
        in_channels >= 1 && kernel_size >= 1 && stride >= 1 && padding >= 0
            ? [FreeUnits("FarkasConv2d", out_channels), in_channels, kernel_size, kernel_size]
            : throw new ArgumentException($"FarkasConv2d got invalid sizes: in={in_channels}, k={kernel_size}, stride={stride}, padding={padding}");

    public override Tensor preactivation(Tensor input)
    {
        Shapes.Expect(input, 4, "FarkasConv2d", $"(B, {in_channels}, H, W)", in_channels);
        using var y = F.conv2d(input, weight, null, [stride, stride], [padding, padding]); // (B, n, H', W')
        return FarkasF.preactivation(y, bias, aggregation, 1); // (B, n + 1, H', W')
    }
}
