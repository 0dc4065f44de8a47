using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Methods.Farkas;

/// <summary>FarkasNets (Pooladian et al. 2019, §4; the reference code's <c>FarkasNet</c>) assembled with the shared
/// <see cref="ResNet"/> builder: stem FarkasConv 3×3 (image → base width); at each stage that changes width, a
/// FarkasConv 1×1 (in → width) then AvgPool2d(2) (not a strided conv); then the stage's Farkas blocks, each adding one
/// channel (block k of a stage of width w has w + k channels in); global average pool → plain Linear. With the config's
/// <c>Normalization</c>, a BatchNorm2d without affine follows every ReLU.</summary>
public static class FarkasNet
{
    /// <summary>The paper's nets by depth (the names of the reference code): 18 = [3, 3, 3] and 34 = [5, 5, 5] basic
    /// blocks of base width 16 (CIFAR "ResNet-20/32"-style nets under the paper's naming); 50 = [3, 4, 6, 3] and
    /// 101 = [3, 4, 23, 3] bottleneck blocks of base width 64.</summary>
    public static ResNetConfig Architecture(int depth) => depth switch
    {
        18 => Architecture([3, 3, 3]),
        34 => Architecture([5, 5, 5]),
        50 => Architecture([3, 4, 6, 3], BlockKind.Bottleneck, 64),
        101 => Architecture([3, 4, 23, 3], BlockKind.Bottleneck, 64),
        _ => throw new ArgumentException($"the paper's FarkasNets have depth 18, 34, 50 or 101, got {depth}; use Architecture(int[] …) for others", nameof(depth)),
    } with { Name = $"{depth}-layer (Pooladian et al.)" };

    /// <summary>Any [n₁, n₂, n₃(, n₄)]: stage k has width base·2ᵏ and nₖ blocks. This macro-architecture is shared with
    /// the plain baseline (<c>Baselines.PlainResNet</c>), which is why it carries conv biases (PyTorch's default conv,
    /// which the plain net uses; Farkas layers always have their own bias).</summary>
    public static ResNetConfig Architecture(int[] blocksPerStage, BlockKind block = BlockKind.Basic, long baseWidth = 16)
    {
        if (blocksPerStage.Length == 0 || blocksPerStage.Any(n => n < 1))
            throw new ArgumentException($"need at least one stage of at least one block, got [{string.Join(", ", blocksPerStage)}]", nameof(blocksPerStage));
        if (block == BlockKind.PreActivation) throw new ArgumentException("Farkas nets use basic or bottleneck blocks", nameof(block));
        var widths = blocksPerStage.Select((_, k) => baseWidth << k).ToArray();
        return new ResNetConfig($"[{string.Join(", ", blocksPerStage)}] {block} (Pooladian et al.)", block, blocksPerStage, widths, baseWidth,
            ShortcutKind.ZeroPad) { ConvBias = true };
    }

    /// <summary>The Farkas choices for the shared builder.</summary>
    public static ResNetParts Parts(FarkasNetConfig config)
    {
        var aggregation = config.Aggregation;
        return new ResNetParts
        {
            Norm = c => nn.BatchNorm2d(c, affine: false), // after the ReLU, without affine (reference code)
            Stem = (c, p) => nn.Sequential(("farkas", new FarkasConv2d(c.InChannels, c.StemWidth, 3, aggregation: aggregation)), ("norm", p.norm(c, c.StemWidth))),
            Transition = (c, p, inChannels, width, stride) => nn.Sequential(
                ("farkas", new FarkasConv2d(inChannels, width, 1, aggregation: aggregation)),
                ("norm", p.norm(c, width)),
                ("pool", nn.AvgPool2d(stride))),
            Block = ctx =>
            {
                if (ctx.Stride != 1) throw new InvalidOperationException("Farkas blocks keep the resolution: the transition pools");
                Func<long, nn.Module<Tensor, Tensor>> norm = ctx.norm;
                return ctx.Config.Block == BlockKind.Bottleneck
                    ? FarkasBlock.Bottleneck(ctx.InChannels, aggregation, config.ZeroLast, norm)
                    : FarkasBlock.Basic(ctx.InChannels, aggregation, config.ZeroLast, norm);
            },
        };
    }

    public static ResNet Build(FarkasNetConfig config) => ResNet.Build(config.Net, Parts(config));
}
