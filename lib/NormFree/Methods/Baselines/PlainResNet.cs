using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Methods.Baselines;

/// <summary>The plain ResNet of the Farkas paper's macro-architecture (Pooladian et al. 2019, §4; the reference code's
/// <c>ResNet</c>), assembled with the shared <see cref="ResNet"/> builder from a config such as
/// <c>FarkasNet.Architecture(18)</c>: stem conv 3×3 → norm → ReLU; at each stage that changes width, conv 1×1 →
/// norm → ReLU → AvgPool2d(2); post-activation blocks that keep their width (basic, He et al. 2016a Fig. 2; or
/// bottleneck c → c/4 → c/4 → c, Fig. 5); global average pool → Linear. PyTorch's default init everywhere
/// (weights and biases U(±1/√fan_in)); BatchNorm after each conv, before the ReLU, when the config has
/// <c>Normalization</c>.</summary>
public static class PlainResNet
{
    public static ResNetParts Parts { get; } = new()
    {
        Transition = (c, p, inChannels, width, stride) => nn.Sequential(
            ("conv", p.conv(c, inChannels, width, 1)), ("norm", p.norm(c, width)), ("act", p.act()), ("pool", nn.AvgPool2d(stride))),
        // A bottleneck of the same width w has w/4 planes inside (its output is 4·planes = w).
        Block = ctx => ctx.Config.Block == BlockKind.Bottleneck
            ? new Bottleneck(ctx with { Planes = ctx.Planes / Bottleneck.expansion })
            : new BasicBlock(ctx),
    };

    public static ResNet Build(ResNetConfig config) => ResNet.Build(config, Parts);
}
