using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Methods.WeightNormInit;

/// <summary>The weight-normalised ResNets and WRNs of Arpit et al. (2019), §4 and §5, assembled with the shared
/// <see cref="ResNet"/> builder (official code: <c>ResNet</c> and <c>WideResNet</c> with <c>weight_norm</c>, no BN):
/// <list type="bullet">
/// <item>stem: one 3×3 weight-normalised conv to StemWidth channels, no ReLU after it ("No ReLU after conv1");</item>
/// <item>blocks: <see cref="WeightNormBlock"/>, F(x) = conv2(relu(conv1(x))), no ReLU after the sum, 1×1
/// weight-normalised projection shortcuts where width or stride change;</item>
/// <item>head: global average pool → Linear (plain, PyTorch default init), with no ReLU before the pool;</item>
/// <item>every conv is g·V/‖V‖ with a bias; no normalization layer.</item>
/// </list>
/// Widths and blocks per stage come from the config: <c>ResNetConfig.ResNet(56)</c> gives WN-ResNet-56,
/// <c>ResNetConfig.WideResNet(40, 10)</c> WN-WRN-40-10 (its dropout is not used).</summary>
public static class WeightNormResNet
{
    /// <summary>The weight-normalised version of <paramref name="config"/>: name prefixed "WN-", no normalization,
    /// conv biases, projection shortcuts.</summary>
    public static ResNetConfig Config(ResNetConfig config) => config with
    {
        Name = $"WN-{config.Name}",
        Normalization = false,
        ConvBias = true, // the official convs keep their (zero-initialised) bias; data-dependent init sets it
        Shortcut = ShortcutKind.Projection, // official code: 1×1 conv shortcuts, also in the ResNet-56/110 nets
    };

    /// <summary>The builder choices for the WN nets, with <paramref name="scheme"/> applied to every
    /// weight-normalised conv by role. For <see cref="WeightNormScheme.DataDependent"/> this sets V and b = 0,
    /// g = 1; <see cref="Build"/> then runs <see cref="DataDependentInit"/>.</summary>
    /// <param name="padding_mode">How the 3×3 convs pad: zeros (the paper's nets) or circular, where every output
    /// position sees all 9 taps, so a conv multiplies ‖h‖² by γ exactly in expectation as the analysis of §4 assumes
    /// (zero padding loses the taps outside the map: ≈ γ·(1 − 2/(3H))² on an H×H map).</param>
    public static ResNetParts Parts(WeightNormScheme scheme, Generator? generator = null, PaddingModes padding_mode = PaddingModes.Zeros) => new()
    {
        Conv = s => new WeightNorm(nn.Conv2d(s.InChannels, s.OutChannels, s.KernelSize, s.Stride, s.Padding, padding_mode: padding_mode, bias: s.Bias)),
        Block = ctx => new WeightNormBlock(ctx),
        Stem = (c, p) => p.conv(c, c.InChannels, c.StemWidth, 3),
        Head = (c, _, channels) => nn.Sequential(("pool", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten()), ("fc", nn.Linear(channels, c.NumClasses))),
        Init = net => Initialise(net, scheme, generator),
    };

    /// <summary>Builds WN-<paramref name="config"/> initialised by <paramref name="scheme"/>;
    /// <paramref name="init_batch"/> (B, C, H, W) is required by, and only used for, the data-dependent scheme.</summary>
    public static ResNet Build(ResNetConfig config, WeightNormScheme scheme, Tensor? init_batch = null, Generator? generator = null,
        PaddingModes padding_mode = PaddingModes.Zeros)
    {
        if (scheme == WeightNormScheme.DataDependent && init_batch is null)
            throw new ArgumentException("the data-dependent init needs an init batch", nameof(init_batch));
        var net = ResNet.Build(Config(config), Parts(scheme, generator, padding_mode));
        if (scheme == WeightNormScheme.DataDependent) DataDependentInit.apply(net, init_batch!);
        return net;
    }

    /// <summary>Applies <paramref name="scheme"/> to the stem conv and to conv1, conv2 and the projection shortcut
    /// of every block, each with its role.</summary>
    public static void Initialise(ResNet net, WeightNormScheme scheme, Generator? generator = null)
    {
        WeightNormSchemes.init_(Expect(net.stem, "stem"), scheme, WeightNormRole.Stem, generator: generator);
        foreach (var block in net.blocks)
        {
            if (block is not WeightNormBlock wb)
                throw new ArgumentException($"expected WeightNormBlock blocks, got {block.GetType().Name}", nameof(net));
            void Init(nn.Module<Tensor, Tensor> conv, WeightNormRole role) =>
                WeightNormSchemes.init_(Expect(conv, role.ToString()), scheme, role, wb.index, wb.blocks_in_stage, generator);
            Init(wb.conv1, WeightNormRole.BlockConv1);
            Init(wb.conv2, WeightNormRole.BlockConv2);
            if (wb.shortcut is WeightNorm) Init(wb.shortcut, WeightNormRole.Shortcut);
        }
    }

    static WeightNorm Expect(nn.Module<Tensor, Tensor> m, string what) =>
        m as WeightNorm ?? throw new ArgumentException($"expected the {what} conv to be a WeightNorm, got {m.GetType().Name}");
}
