using NormFree.Torch;

namespace NormFree.Nn;

/// <summary>2-D convolution, as torch.nn.Conv2d (square kernels, equal stride/padding/dilation on both axes):
/// out[b, o] = bias[o] + Σ_{c in o's group} W[o, c] ⋆ x[b, c].
/// <para>Shapes: input (B, C_in, H, W) → output (B, C_out, H', W') with
/// H' = ⌊(H + 2·padding − dilation·(k − 1) − 1) / stride⌋ + 1 (same for W');
/// weight (C_out, C_in/groups, k, k), bias (C_out).</para>
/// <para>Init (PyTorch default): W, b ~ U(±1/√fan_in), fan_in = C_in/groups·k·k.</para></summary>
public sealed class Conv2d : WeightedLayer
{
    public long in_channels { get; }
    public long out_channels { get; }
    public long kernel_size { get; }
    public long stride { get; }
    public long padding { get; }
    public long dilation { get; }
    public long groups { get; }

    public Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1,
        long groups = 1, bool bias = true)
        : base(WeightShape(in_channels, out_channels, kernel_size, stride, padding, dilation, groups), bias)
    {
        this.in_channels = in_channels;
        this.out_channels = out_channels;
        this.kernel_size = kernel_size;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        reset_parameters();
    }

    static long[] WeightShape(long in_channels, long out_channels, long kernel_size, long stride, long padding, long dilation, long groups)
    {
        if (in_channels < 1 || out_channels < 1 || kernel_size < 1 || stride < 1 || padding < 0 || dilation < 1 || groups < 1)
            throw new ArgumentException($"Conv2d got invalid sizes: in={in_channels}, out={out_channels}, k={kernel_size}, stride={stride}, padding={padding}, dilation={dilation}, groups={groups}");
        if (in_channels % groups != 0 || out_channels % groups != 0)
            throw new ArgumentException($"Conv2d: in_channels ({in_channels}) and out_channels ({out_channels}) must be divisible by groups ({groups})");
        return [out_channels, in_channels / groups, kernel_size, kernel_size];
    }

    public override Tensor forward_with(Tensor input, Tensor weight)
    {
        Shapes.Expect(input, 4, "Conv2d", $"(B, {in_channels}, H, W)", in_channels);
        return F.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }

    public override WeightedLayer create_like() =>
        new Conv2d(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias is not null);

    protected override string extra_repr()
    {
        var s = $"{in_channels}, {out_channels}, kernel_size={kernel_size}, stride={stride}, padding={padding}";
        if (dilation != 1) s += $", dilation={dilation}";
        if (groups != 1) s += $", groups={groups}";
        return bias is null ? s + ", bias=False" : s;
    }
}
