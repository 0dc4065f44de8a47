using NormFree.Torch;

namespace NormFree.Nn;

/// <summary>Average over k×k windows, as torch.nn.AvgPool2d (zero padding counts in the average).
/// Shapes: (B, C, H, W) → (B, C, ⌊(H + 2·padding − k)/stride⌋ + 1, …); stride defaults to k.</summary>
public sealed class AvgPool2d(long kernel_size, long? stride = null, long padding = 0) : Module
{
    public long kernel_size { get; } = kernel_size;
    public long stride { get; } = stride ?? kernel_size;
    public long padding { get; } = padding;

    public override Tensor forward(Tensor input)
    {
        Shapes.Expect(input, 4, "AvgPool2d", "(B, C, H, W)");
        return F.avg_pool2d(input, kernel_size, stride, padding);
    }

    protected override string extra_repr() => $"kernel_size={kernel_size}, stride={stride}, padding={padding}";
}

/// <summary>Maximum over k×k windows, as torch.nn.MaxPool2d.
/// Shapes: (B, C, H, W) → (B, C, ⌊(H + 2·padding − k)/stride⌋ + 1, …); stride defaults to k.</summary>
public sealed class MaxPool2d(long kernel_size, long? stride = null, long padding = 0) : Module
{
    public long kernel_size { get; } = kernel_size;
    public long stride { get; } = stride ?? kernel_size;
    public long padding { get; } = padding;

    public override Tensor forward(Tensor input)
    {
        Shapes.Expect(input, 4, "MaxPool2d", "(B, C, H, W)");
        return F.max_pool2d(input, kernel_size, stride, padding);
    }

    protected override string extra_repr() => $"kernel_size={kernel_size}, stride={stride}, padding={padding}";
}

/// <summary>Average pooling to a fixed output size, as torch.nn.AdaptiveAvgPool2d; output_size 1 is the global
/// average pool of a ResNet head. Shapes: (B, C, H, W) → (B, C, output_size, output_size).</summary>
public sealed class AdaptiveAvgPool2d(long output_size = 1) : Module
{
    public long output_size { get; } = output_size;

    public override Tensor forward(Tensor input)
    {
        Shapes.Expect(input, 4, "AdaptiveAvgPool2d", "(B, C, H, W)");
        return F.adaptive_avg_pool2d(input, output_size);
    }

    protected override string extra_repr() => $"output_size={output_size}";
}
