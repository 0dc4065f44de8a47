using NormFree.Nn;

namespace NormFree.Models;

/// <summary>He et al. (2016a), §4.2, option A: the shortcut subsamples with stride s and pads the new channels
/// with zeros, so it has no parameters: y = pad_C(x[:, :, ::s, ::s]).
/// The out − in zero channels are split before and after the input's channels ((out − in)/2 in front, the rest
/// behind), as in the common PyTorch CIFAR ResNet code.
/// <para>Shapes: (B, C_in, H, W) → (B, C_out, ⌈H/s⌉, ⌈W/s⌉).</para></summary>
public sealed class ZeroPadShortcut : nn.Module<Tensor, Tensor>
{
    public long in_channels { get; }
    public long out_channels { get; }
    public long stride { get; }

    public ZeroPadShortcut(long in_channels, long out_channels, long stride) : base(nameof(ZeroPadShortcut))
    {
        if (out_channels < in_channels || stride < 1)
            throw new ArgumentException($"option A shortcut needs out ≥ in channels and stride ≥ 1, got {in_channels} → {out_channels}, stride {stride}");
        this.in_channels = in_channels;
        this.out_channels = out_channels;
        this.stride = stride;
    }

    public override Tensor forward(Tensor input)
    {
        Shapes.Expect(input, 4, "ZeroPadShortcut", $"(B, {in_channels}, H, W)", in_channels);
        using var rows = input[.., .., TensorIndex.Slice(step: stride)];
        using var sub = rows[.., .., .., TensorIndex.Slice(step: stride)]; // (B, C_in, ⌈H/s⌉, ⌈W/s⌉)
        var front = (out_channels - in_channels) / 2;
        return F.pad(sub, [0, 0, 0, 0, front, out_channels - in_channels - front]); // (B, C_out, ⌈H/s⌉, ⌈W/s⌉)
    }

    // Members are registered by name in the constructor; TorchSharp's field scan would register the auto-properties'
    // backing fields a second time (register_module runs it on every child).
    protected override void RegisterComponents() { }
}
