using NormFree.Init;
using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Methods.Peers;

/// <summary>NF-ResNet (Brock, De &amp; Smith, "Characterizing signal propagation to close the performance gap in
/// unnormalized ResNets", ICLR 2021; reference code deepmind-research/nfnets/nf_resnet.py) on the shared
/// <see cref="ResNet"/> builder: no normalization; every conv scaled-weight-standardised with a bias
/// (<see cref="ScaledWeightStandardization"/>); γ-scaled ReLUs (<see cref="ScaledActivation"/>); blocks
/// h_{i+1} = h_i + α·f_i(h_i/β_i) (<see cref="NFBlock"/>) with β_i the analytically expected standard deviation of
/// h_i (<see cref="expected_input_variance"/>); stem: one standardised 3×3 conv; head: act → global average pool → Linear.
/// Optionally SkipInit's zero-initialised scalar gain at the end of every branch (the reference code's skip_gain).
/// <c>NFResNet.Build(NFResNet.Config(20) with { InChannels = 1 })</c>.</summary>
public static class NFResNet
{
    /// <summary>α of the paper and the reference code.</summary>
    public const double DefaultAlpha = 0.2;

    /// <summary>Standard deviation of the classifier's initial weights (reference code: fc_init = N(0, 0.01²)).</summary>
    public const double ClassifierInitStd = 0.01;

    /// <summary>The CIFAR ResNet of <paramref name="depth"/> (6n + 2) as an NF-ResNet needs it: no normalization,
    /// 1×1 projection shortcuts at the transitions, conv biases.</summary>
    public static ResNetConfig Config(int depth) => ResNetConfig.ResNet(depth) with
    {
        Name = $"NF-ResNet-{depth}", Normalization = false, Shortcut = ShortcutKind.Projection, ConvBias = true,
    };

    /// <summary>Var(h_{i+1}) expected at the output of the block <paramref name="index"/> places after its stage's
    /// first block: 1 + (index + 1)·α². A stage's first block restarts at 1 + α² — its skip is a standardised conv of
    /// act(h)/β, of variance 1 (or, in a first stage that keeps its width, the stem's output, of variance 1 for
    /// unit-variance images) — and every block adds α², its branch having variance 1 at init: the reference code's
    /// "reset expected std but still give it 1 block of growth".</summary>
    public static double expected_output_variance(int index, double alpha)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), index, "a block index is ≥ 0");
        return 1 + (index + 1) * alpha * alpha;
    }

    /// <summary>Var(h_i) expected at the input of block <paramref name="index"/> of stage <paramref name="stage"/>:
    /// 1 for the net's first block (the stem's output), otherwise the expected output variance of the block before
    /// it — for a stage's first block, the previous stage's last block (the reset comes after it). β_i is its root.</summary>
    public static double expected_input_variance(ResNetConfig config, int stage, int index, double alpha)
    {
        if (stage < 0 || stage >= config.BlocksPerStage.Length || index < 0 || index >= config.BlocksPerStage[stage])
            throw new ArgumentOutOfRangeException(nameof(index), $"{config.Name} has no block {index} in stage {stage}");
        if (index > 0) return expected_output_variance(index - 1, alpha);
        return stage == 0 ? 1 : expected_output_variance(config.BlocksPerStage[stage - 1] - 1, alpha);
    }

    /// <param name="alpha">α, the scale of every residual branch.</param>
    /// <param name="skipinit">A scalar gain, init 0, at the end of every branch (SkipInit; the reference code's
    /// skip_gain): every block then starts as its skip path.</param>
    public static ResNetParts Parts(double alpha = DefaultAlpha, bool skipinit = false) => new()
    {
        Conv = s => new ScaledWeightStandardization(nn.Conv2d(s.InChannels, s.OutChannels, s.KernelSize, s.Stride, s.Padding, bias: s.Bias)),
        Activation = ScaledActivation.relu,
        Block = ctx => new NFBlock(ctx, alpha, Math.Sqrt(expected_input_variance(ctx.Config, ctx.Stage, ctx.Index, alpha)),
            ctx.Config.Block == BlockKind.Bottleneck),
        Stem = (c, p) => p.conv(c, c.InChannels, c.StemWidth, 3),
        Head = (c, p, channels) => nn.Sequential(
            ("act", p.act()), ("pool", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten()), ("fc", nn.Linear(channels, c.NumClasses))),
        BranchEnd = skipinit ? SkipInit.Parts(alpha: 0).BranchEnd : null,
        Init = initialize,
    };

    /// <summary>Builds an NF-ResNet; <paramref name="config"/> must have no normalization, projection shortcuts, conv
    /// biases and no dropout (<see cref="Config"/> makes one).</summary>
    public static ResNet Build(ResNetConfig config, double alpha = DefaultAlpha, bool skipinit = false)
    {
        if (config.Normalization || config.Shortcut != ShortcutKind.Projection || !config.ConvBias || config.Dropout != 0)
            throw new ArgumentException("NF-ResNet needs Normalization = false, Shortcut = Projection, ConvBias = true and Dropout = 0 " +
                $"(NFResNet.Config(depth) makes one); got Normalization = {config.Normalization}, Shortcut = {config.Shortcut}, " +
                $"ConvBias = {config.ConvBias}, Dropout = {config.Dropout}", nameof(config));
        return ResNet.Build(config, Parts(alpha, skipinit));
    }

    /// <summary>The reference code's init: every standardised weight's direction V ~ N(0, 1/fan_in) (its scale does not
    /// matter after standardisation), conv biases 0, gains 1; the classifier N(0, 0.01²) with bias 0.</summary>
    public static void initialize(ResNet model)
    {
        foreach (var ws in model.modules().OfType<ScaledWeightStandardization>())
        {
            init.kaiming_normal_(ws.weight_v, nonlinearity: "linear");
            if (WeightedLayer.bias(ws.layer) is { } bias) init.zeros_(bias);
            init.ones_(ws.gain);
        }
        foreach (var fc in model.head.modules().OfType<Linear>())
        {
            init.normal_(fc.weight, 0, ClassifierInitStd);
            if (fc.bias is not null) init.zeros_(fc.bias);
        }
    }
}
