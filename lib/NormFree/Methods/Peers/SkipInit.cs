using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Methods.Peers;

/// <summary>SkipInit (De &amp; Smith, "Batch normalization biases residual blocks towards the identity function in deep
/// networks", NeurIPS 2020; the ReZero rule of Bachlechner et al. 2021 is the same
/// idea): a learnable scalar α at the end of every residual branch, initialised to 0, and no normalization:
/// <code>x_{i+1} = x_i + α_i · F_i(x_i),   α_i = 0 at init</code>
/// so that at init every residual unit computes its shortcut alone and the deep net is as shallow as its skip path
/// — the effect the paper shows BatchNorm has, by downscaling each branch by ~1/√(its depth).
/// On the shared <see cref="ResNet"/> builder SkipInit is one part, <see cref="ResNetParts.BranchEnd"/> = a
/// <see cref="ScalarScale"/> starting at α; it fits every built-in block kind. A normalization-free SkipInit net:
/// <c>SkipInit.Build(ResNetConfig.WideResNet(16, 4) with { Normalization = false })</c> (the paper's Table 2 net).</summary>
public static class SkipInit
{
    /// <summary><paramref name="parts"/> (default: the reference pieces) with a scalar gate, starting at
    /// <paramref name="alpha"/>, at the end of every residual branch. The paper allows any α ≲ 1/√(residual
    /// branches) and uses 0.</summary>
    public static ResNetParts Parts(ResNetParts? parts = null, double alpha = 0) =>
        (parts ?? new ResNetParts()) with { BranchEnd = _ => new ScalarScale(alpha) };

    public static ResNet Build(ResNetConfig config, ResNetParts? parts = null, double alpha = 0) =>
        ResNet.Build(config, Parts(parts, alpha));

    /// <summary>The gate α of every residual block, in forward order (e.g. to follow them over training).</summary>
    public static IReadOnlyList<ScalarScale> gates(ResNet model) => model.blocks
        .Select(b => b.branch_end as ScalarScale
            ?? throw new ArgumentException($"block {b.GetType().Name} has no SkipInit gate at the end of its branch", nameof(model)))
        .ToList();
}
