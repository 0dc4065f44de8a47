using NormFree.Nn;

namespace NormFree.Models;

/// <summary>A conv the builder asks for: in → out channels, k×k kernel, stride, padding, bias.</summary>
public sealed record ConvSpec(long InChannels, long OutChannels, long KernelSize, long Stride, long Padding, bool Bias);

/// <summary>The interchangeable pieces of a <see cref="ResNet"/>. A method is a set of choices here (e.g. a
/// weight-normalised conv, no normalization, a FixUp block, an init), not a copy of the network. Every piece has
/// the plain default of the reference nets; each factory is called once per module it makes.</summary>
public sealed record ResNetParts
{
    /// <summary>Makes every conv of the net (stem, blocks, projections). Default: <see cref="Conv2d"/>.</summary>
    public Func<ConvSpec, nn.Module<Tensor, Tensor>> Conv { get; init; } =
        s => nn.Conv2d(s.InChannels, s.OutChannels, s.KernelSize, s.Stride, s.Padding, bias: s.Bias);

    /// <summary>The normalization after a conv, given its channel count, used when the config has
    /// <c>Normalization</c>; without it every normalization slot is an <see cref="Identity"/>. Default: BatchNorm2d.</summary>
    public Func<long, nn.Module<Tensor, Tensor>> Norm { get; init; } = c => nn.BatchNorm2d(c);

    /// <summary>Default: <see cref="ReLU"/>.</summary>
    public Func<nn.Module<Tensor, Tensor>> Activation { get; init; } = () => nn.ReLU();

    /// <summary>A module applied to the input of every residual unit, given the unit's input channels, so that both
    /// the residual branch and the shortcut see its output (e.g. the multiplicative noise of Ruff et al. 2019, §4.4);
    /// null: none. The built-in blocks apply it; a custom block applies it by calling
    /// <see cref="ResidualBlock.unit_input"/>.</summary>
    public Func<long, nn.Module<Tensor, Tensor>>? BlockInput { get; init; }

    /// <summary>A module applied to the output of every residual branch, given its channels, before it joins the
    /// shortcut: y = shortcut + end(F(x)) (e.g. SkipInit's learnable scalar α, init 0: De &amp; Smith 2020, §4); null:
    /// none. The built-in blocks apply it; a custom block passes <see cref="BlockContext.branch_end"/> to its base
    /// constructor and adds <see cref="ResidualBlock.branch_output"/>'s result.</summary>
    public Func<long, nn.Module<Tensor, Tensor>>? BranchEnd { get; init; }

    /// <summary>Makes each residual block from its context; null picks the config's <see cref="BlockKind"/>.</summary>
    public Func<BlockContext, ResidualBlock>? Block { get; init; }

    /// <summary>Makes the module that opens a stage whose width or resolution changes, given (config, parts, in
    /// channels, the stage's width, stride); it must output the stage's width. Every block of that stage then keeps
    /// its input's shape (stride 1). The Farkas reference nets use a 1×1 conv unit followed by AvgPool2d(stride)
    /// (Pooladian et al. 2019). Null: the stage's first block changes the shape itself (strided conv and shortcut,
    /// He et al. 2016a).</summary>
    public Func<ResNetConfig, ResNetParts, long, long, long, nn.Module<Tensor, Tensor>>? Transition { get; init; }

    /// <summary>Makes the stem (image → StemWidth channels); null: conv3×3 → norm → act (post-activation nets) or
    /// conv3×3 alone (pre-activation nets).</summary>
    public Func<ResNetConfig, ResNetParts, nn.Module<Tensor, Tensor>>? Stem { get; init; }

    /// <summary>Makes the head from the last block's channel count; null: global average pool → Flatten → Linear,
    /// preceded by norm → act in pre-activation nets (Zagoruyko &amp; Komodakis 2016).</summary>
    public Func<ResNetConfig, ResNetParts, long, nn.Module<Tensor, Tensor>>? Head { get; init; }

    /// <summary>Runs on the finished model (e.g. <see cref="ResNetInit.He"/>); null keeps each layer's own init.</summary>
    public Action<ResNet>? Init { get; init; }

    // ---- helpers the blocks, stems and heads build with ------------------------------------------------------

    /// <summary>A k×k conv with "same" padding k/2 and the config's bias setting.</summary>
    public nn.Module<Tensor, Tensor> conv(ResNetConfig config, long inChannels, long outChannels, long kernelSize, long stride = 1) =>
        Conv(new ConvSpec(inChannels, outChannels, kernelSize, stride, kernelSize / 2, config.ConvBias));

    public nn.Module<Tensor, Tensor> norm(ResNetConfig config, long channels) => config.Normalization ? Norm(channels) : nn.Identity();

    public nn.Module<Tensor, Tensor> act() => Activation();

    public nn.Module<Tensor, Tensor>? block_input(long channels) => BlockInput?.Invoke(channels);

    public nn.Module<Tensor, Tensor>? branch_end(long channels) => BranchEnd?.Invoke(channels);

    /// <summary>Identity when nothing changes; otherwise the config's option A (zero-pad) or option B (1×1 conv,
    /// with a norm after it when <paramref name="withNorm"/>).</summary>
    public nn.Module<Tensor, Tensor> shortcut(ResNetConfig config, long inChannels, long outChannels, long stride, bool withNorm = true)
    {
        if (inChannels == outChannels && stride == 1) return nn.Identity();
        if (config.Shortcut == ShortcutKind.ZeroPad) return new ZeroPadShortcut(inChannels, outChannels, stride);
        var projection = conv(config, inChannels, outChannels, 1, stride);
        return withNorm ? nn.Sequential(("conv", projection), ("norm", norm(config, outChannels))) : projection;
    }
}
