using NormFree.Init;
using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Methods.Baselines;

/// <summary>FixUp (Zhang, Dauphin &amp; Ma, ICLR 2019, §3) on the shared <see cref="ResNet"/> builder: no
/// normalization; <see cref="FixupBasicBlock"/>s; stem relu(conv(x) + b); head Linear(pool(x) + b); init by
/// <see cref="initialize"/>; scalar biases and multipliers trained at LR/10 (<see cref="parameter_groups"/>).
/// The CIFAR nets of the official code: <c>FixUp.Build(ResNetConfig.ResNet(32) with { Normalization = false })</c>
/// is the Farkas paper's "FixUp34" (Table 4).</summary>
public static class FixUp
{
    /// <summary>LR multiplier of the scalar biases and multipliers (official CIFAR code: <c>base_lr/10.</c>).</summary>
    public const double ScalarLrFactor = 0.1;

    public static ResNetParts Parts { get; } = new()
    {
        Block = ctx => new FixupBasicBlock(ctx),
        Stem = (c, p) => nn.Sequential(("conv", p.conv(c, c.InChannels, c.StemWidth, 3)), ("bias", new ScalarBias()), ("act", p.act())),
        Head = (c, p, channels) => nn.Sequential(
            ("pool", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten()), ("bias", new ScalarBias()), ("fc", nn.Linear(channels, c.NumClasses))),
        Init = initialize,
    };

    /// <summary>Builds a FixUp ResNet; <paramref name="config"/> must have basic blocks, no normalization and no conv
    /// biases (FixUp's scalar biases replace them).</summary>
    public static ResNet Build(ResNetConfig config)
    {
        if (config.Block != BlockKind.Basic || config.Normalization || config.ConvBias)
            throw new ArgumentException($"FixUp needs basic blocks without normalization or conv biases; got Block = {config.Block}, Normalization = {config.Normalization}, ConvBias = {config.ConvBias}", nameof(config));
        return ResNet.Build(config, Parts);
    }

    /// <summary>FixUp's rules 1–2 (§3): the classifier and the last conv of every residual branch start at 0; the other
    /// branch convs get He init scaled by L^(−1/(2m−2)), L = residual branches, m = weight layers per branch
    /// (m = 2: L^(−1/2)). The stem keeps PyTorch's default init, as in the official code.
    /// He init here is N(0, 2/fan_out), fan_out = C_out·k·k, as the official code draws it (He et al. 2015, §2.2,
    /// the backward-pass form).</summary>
    public static void initialize(ResNet model)
    {
        var L = model.blocks.Count;
        foreach (var block in model.blocks)
        {
            if (block is not FixupBasicBlock b) throw new ArgumentException($"FixUp init expects FixupBasicBlocks, got {block.GetType().Name}", nameof(model));
            var conv1 = AsConv(b.conv1);
            init.kaiming_normal_(conv1.weight, mode: "fan_out", nonlinearity: "relu");
            using (torch.no_grad()) conv1.weight.mul_(Math.Pow(L, -1.0 / (2 * FixupBasicBlock.branch_layers - 2)));
            init.zeros_(AsConv(b.conv2).weight);
        }
        var fc = Classifier(model);
        init.zeros_(fc.weight);
        init.zeros_(fc.bias!);
    }

    /// <summary>The two SGD groups of FixUp's protocol: every weight at <paramref name="lr"/> with
    /// <paramref name="weight_decay"/>, and the scalar biases, the multipliers and the classifier's bias at
    /// lr × <see cref="ScalarLrFactor"/> without weight decay. Pass them to <c>torch.optim.SGD(groups, lr, momentum: …)</c>
    /// (the groups leave momentum and the rest to the optimizer's defaults); a schedule scales both groups alike.
    /// Call it once the model is on its device: moving a TorchSharp module replaces its parameters.
    /// NOTE: the classifier's bias is in the slow group because the official code picks the group by name ('bias' or
    /// 'scale'); the paper speaks of the scalar biases and multipliers only.
    /// NOTE: the official code decays every parameter; here the slow group is not decayed, as the Farkas protocol
    /// ("weight decay on weights only") that FixUp is compared under in Table 4.</summary>
    public static List<SGD.ParamGroup> parameter_groups(ResNet model, double lr, double weight_decay = 0)
    {
        var slow = model.modules().OfType<ScalarBias>().Select(m => m.bias)
            .Concat(model.modules().OfType<ScalarScale>().Select(m => m.scale))
            .Append(Classifier(model).bias!)
            .ToHashSet(ReferenceEqualityComparer.Instance);
        var all = model.parameters().ToList();
        return
        [
            new SGD.ParamGroup(all.Where(p => !slow.Contains(p)).ToList(), new SGD.Options { LearningRate = lr, weight_decay = weight_decay }),
            new SGD.ParamGroup(all.Where(slow.Contains).ToList(), new SGD.Options { LearningRate = lr * ScalarLrFactor, weight_decay = 0 }),
        ];
    }

    static Linear Classifier(ResNet model) => model.head.modules().OfType<Linear>().SingleOrDefault()
        ?? throw new ArgumentException("FixUp expects one Linear classifier in the head", nameof(model));

    static Conv2d AsConv(nn.Module<Tensor, Tensor> m) => m as Conv2d
        ?? throw new ArgumentException($"FixUp init expects Conv2d layers in the branch, got {m.GetType().Name}");
}
