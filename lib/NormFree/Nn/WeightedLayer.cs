namespace NormFree.Nn;

/// <summary>What TorchSharp's <see cref="Linear"/> and <see cref="Conv2d"/> share: a <c>weight</c> whose first dim
/// indexes the output units, an optional <c>bias</c> of one entry per unit, and the layer's functional form with any
/// weight of the same shape (<see cref="forward_with"/>) — which is what lets <see cref="WeightNorm"/> and the
/// weight-standardised convs reparameterise either layer without copying it.</summary>
public static class WeightedLayer
{
    /// <summary>Whether <paramref name="module"/> is a Linear or a Conv2d.</summary>
    public static bool Is(nn.Module module) => module is Linear or Conv2d;

    /// <summary>(out, in) for Linear; (C_out, C_in/groups, k, k) for Conv2d.</summary>
    public static Parameter weight(nn.Module<Tensor, Tensor> layer) => layer switch
    {
        Linear l => l.weight,
        Conv2d c => c.weight,
        _ => throw NotWeighted(layer),
    };

    /// <summary>(out) or null.</summary>
    public static Parameter? bias(nn.Module<Tensor, Tensor> layer) => layer switch
    {
        Linear l => l.bias,
        Conv2d c => c.bias,
        _ => throw NotWeighted(layer),
    };

    /// <summary>Number of output units (rows of the weight).</summary>
    public static long out_units(nn.Module<Tensor, Tensor> layer) => weight(layer).size(0);

    /// <summary>The layer's computation with <paramref name="weight"/> in place of its own (same shape); the layer's
    /// own bias and geometry are used.</summary>
    public static Tensor forward_with(nn.Module<Tensor, Tensor> layer, Tensor input, Tensor weight)
    {
        switch (layer)
        {
            case Linear l:
                return F.linear(input, weight, l.bias);
            case Conv2d c when c.padding_mode != PaddingModes.Zeros:
            {
                // As torch's Conv2d: pad with the layer's mode (circular, reflect, replicate) first, then convolve
                // without padding. F.pad takes (left, right, top, bottom).
                Shapes.Expect(input, 4, "Conv2d", $"(B, {c.in_channels}, H, W)", c.in_channels);
                var (ph, pw) = (c.padding![0], c.padding[1]);
                using var padded = F.pad(input, [pw, pw, ph, ph], c.padding_mode);
                return F.conv2d(padded, weight, c.bias, c.stride, [0L, 0L], c.dilation, c.groups);
            }
            case Conv2d c:
                Shapes.Expect(input, 4, "Conv2d", $"(B, {c.in_channels}, H, W)", c.in_channels);
                return F.conv2d(input, weight, c.bias, c.stride, c.padding, c.dilation, c.groups);
            default:
                throw NotWeighted(layer);
        }
    }

    /// <summary>A new layer of the same geometry and bias setting, with PyTorch's default init.</summary>
    public static nn.Module<Tensor, Tensor> create_like(nn.Module<Tensor, Tensor> layer) => layer switch
    {
        Linear l => nn.Linear(l.in_features, l.out_features, hasBias: l.bias is not null),
        Conv2d c => nn.Conv2d(c.in_channels, c.out_channels, (c.kernel_size[0], c.kernel_size[1]), (c.stride[0], c.stride[1]),
            (c.padding![0], c.padding[1]), (c.dilation[0], c.dilation[1]), c.padding_mode, groups: c.groups, bias: c.bias is not null),
        _ => throw NotWeighted(layer),
    };

    static ArgumentException NotWeighted(nn.Module layer) =>
        new($"expected a Linear or Conv2d layer, got {layer.GetType().Name}", nameof(layer));
}
