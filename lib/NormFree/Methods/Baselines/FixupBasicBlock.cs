using NormFree.Models;
using NormFree.Nn;
using NormFree.Torch;

namespace NormFree.Methods.Baselines;

/// <summary>FixUp basic block, Zhang, Dauphin &amp; Ma (2019), §3 and the official CIFAR code:
/// h = relu(conv1(x + b1a) + b1b); F(x) = conv2(h + b2a)·s + b2b; y = relu(F(x) + shortcut), with scalar biases
/// b (init 0) and a scalar multiplier s (init 1), no normalization. The shortcut is x, or, where the shape changes,
/// option A applied to x + b1a (as the official code does). Inits are set by <see cref="FixUp.initialize"/>.
/// <para>Shapes: (B, C_in, H, W) → (B, planes, H/s, W/s).</para></summary>
public sealed class FixupBasicBlock : ResidualBlock
{
    /// <summary>Weight layers in the residual branch (m in FixUp's L^(−1/(2m−2))).</summary>
    public const int branch_layers = 2;

    public ScalarBias bias1a { get; }
    public Module conv1 { get; }
    public ScalarBias bias1b { get; }
    public Module act1 { get; }
    public ScalarBias bias2a { get; }
    public Module conv2 { get; }
    public ScalarScale scale { get; }
    public ScalarBias bias2b { get; }
    public Module shortcut { get; }
    public Module act2 { get; }

    public FixupBasicBlock(BlockContext ctx) : base(ctx.InChannels, ctx.Planes)
    {
        bias1a = register_module("bias1a", new ScalarBias());
        conv1 = register_module("conv1", ctx.conv(ctx.InChannels, ctx.Planes, 3, ctx.Stride));
        bias1b = register_module("bias1b", new ScalarBias());
        act1 = register_module("act1", ctx.act());
        bias2a = register_module("bias2a", new ScalarBias());
        conv2 = register_module("conv2", ctx.conv(ctx.Planes, ctx.Planes, 3));
        scale = register_module("scale", new ScalarScale());
        bias2b = register_module("bias2b", new ScalarBias());
        shortcut = register_module("shortcut", ctx.shortcut(ctx.InChannels, ctx.Planes, ctx.Stride, withNorm: false));
        act2 = register_module("act2", ctx.act());
    }

    public override Tensor forward(Tensor x)
    {
        using var shifted = bias1a.call(x); // x + b1a
        using var branch = chain(shifted, conv1, bias1b, act1, bias2a, conv2, scale, bias2b); // (B, planes, H/s, W/s)
        using var skip = shortcut is Identity ? x.alias() : shortcut.call(shifted);
        using var sum = skip + branch_output(branch);
        return act2.call(sum);
    }
}
