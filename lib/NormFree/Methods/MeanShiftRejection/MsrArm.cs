using System.Globalization;
using NormFree.Models;
using NormFree.Optim;
using NormFree.Training;

namespace NormFree.Methods.MeanShiftRejection;

/// <summary>How an <see cref="MsrArm"/> builds its net.</summary>
public enum MsrArmKind
{
    /// <summary>The paper's baseline (§4): He et al.'s ResNet with BatchNorm, He init, L2 weight decay.</summary>
    BatchNorm,

    /// <summary>The same ResNet without any normalization: plain convs, He init, L2 weight decay.</summary>
    PlainHe,

    /// <summary>Mean Shift Rejection with an <see cref="MsrConfig"/>: W = e^g·V, CZMI, optional CZMG and noise, LUMA
    /// instead of weight decay.</summary>
    MeanShiftRejection,
}

/// <summary>One arm of the comparisons behind Table 1 of Ruff et al. (2019): a way to build and train He et al.'s CIFAR
/// ResNet, at one learning rate. Every arm trains with SGD, momentum 0.9 (§4); the baselines with L2 weight decay
/// <see cref="L2"/> on every parameter, the MSR arms with LUMA and CZMG as gradient hooks and no decay.
/// Arms compare by value (the <see cref="MsrConfig.Name"/> is dropped: an arm is named by its numbers, as Table 1's rows
/// are), so the same arm asked for twice in a notebook is trained once (<see cref="MsrExperiment"/>).</summary>
public sealed record MsrArm
{
    /// <summary>L2 weight decay of the BN baseline, 5e-4 (§4); the plain He baseline uses the same.</summary>
    public const double L2 = 5e-4;

    public MsrArmKind Kind { get; }
    public double LearningRate { get; }
    /// <summary>The MSR choices; null for the baselines.</summary>
    public MsrConfig? Config { get; }

    MsrArm(MsrArmKind kind, double learningRate, MsrConfig? config)
    {
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be positive");
        Kind = kind;
        LearningRate = learningRate;
        Config = config is null ? null : config with { Name = "" };
    }

    public static MsrArm BatchNorm(double lr) => new(MsrArmKind.BatchNorm, lr, null);
    public static MsrArm PlainHe(double lr) => new(MsrArmKind.PlainHe, lr, null);
    public static MsrArm Msr(MsrConfig config, double lr) => new(MsrArmKind.MeanShiftRejection, lr, config ?? throw new ArgumentNullException(nameof(config)));

    /// <summary>The method as Table 1 names it: "BN", "He (no BN)", "CZMI" (z = 0) or "CZMIG" (z &gt; 0).</summary>
    public string Method => Kind switch
    {
        MsrArmKind.BatchNorm => "BN",
        MsrArmKind.PlainHe => "He (no BN)",
        _ => Config!.Zmg > 0 ? "CZMIG" : "CZMI",
    };

    /// <summary>Table 1's row: method, learning rate, and z and the noise amplitude for MSR arms.</summary>
    public string Name => Kind == MsrArmKind.MeanShiftRejection
        ? $"{Method} lr {Num(LearningRate)} z {Num(Config!.Zmg)} noise {Num(Config.Noise)}"
        : $"{Method} lr {Num(LearningRate)}";

    static string Num(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>The arm's net: <paramref name="net"/> with BN, without it, or as <see cref="MsrResNet"/>.</summary>
    public ResNet build(ResNetConfig net) => Kind switch
    {
        MsrArmKind.BatchNorm => ResNet.Build(net with { Normalization = true }, new ResNetParts { Init = ResNetInit.He }),
        MsrArmKind.PlainHe => ResNet.Build(net with { Normalization = false }, new ResNetParts { Init = ResNetInit.He }),
        _ => MsrResNet.Build(net, Config!),
    };

    /// <summary><paramref name="protocol"/> with this arm's name, learning rate and weight decay (none for MSR): the
    /// trainer's SGD; the MSR arms add <see cref="gradient_hooks"/>.</summary>
    public TrainConfig train_config(TrainConfig protocol) => protocol with
    {
        Name = Name,
        LearningRate = LearningRate,
        WeightDecay = Kind == MsrArmKind.MeanShiftRejection ? 0 : L2,
        DecayOnlyWeights = false, // §4 and He et al.'s code: decay on every parameter
    };

    /// <summary>The gradient hooks the trainer runs between backward and the SGD step of <see cref="train_config"/>:
    /// for MSR arms the method's (LUMA, then CZMG), then <paramref name="extraHooks"/> (e.g. a
    /// <see cref="KernelTrace"/>). Make them once <paramref name="model"/> is on its device.</summary>
    public IReadOnlyList<IGradientHook> gradient_hooks(ResNet model, params IEnumerable<IGradientHook> extraHooks)
    {
        var hooks = Kind == MsrArmKind.MeanShiftRejection ? MsrResNet.gradient_hooks(model, Config!).ToList() : [];
        hooks.AddRange(extraHooks);
        return hooks;
    }

    public override string ToString() => Name;
}
