using NormFree.Nn;
using NormFree.Torch;

namespace NormFree.Models;

/// <summary>Post-activation bottleneck block, He et al. (2016a), Fig. 5:
/// F(x) = norm3(conv3₁ₓ₁(act2(norm2(conv2₃ₓ₃(act1(norm1(conv1₁ₓ₁(x)))))))), y = act3(F(x) + shortcut(x)),
/// with planes channels inside and <see cref="expansion"/>·planes out.
/// NOTE: the stride sits on the 3×3 conv (as in torchvision), not on the first 1×1 as in the original paper.
/// <para>Shapes: (B, C_in, H, W) → (B, 4·planes, H/s, W/s).</para></summary>
public sealed class Bottleneck : ResidualBlock
{
    /// <summary>Output channels per plane (He et al. 2016a, Fig. 5).</summary>
    public const long expansion = 4;

    public Module conv1 { get; }
    public Module norm1 { get; }
    public Module act1 { get; }
    public Module conv2 { get; }
    public Module norm2 { get; }
    public Module act2 { get; }
    public Module conv3 { get; }
    public Module norm3 { get; }
    public Module shortcut { get; }
    public Module act3 { get; }

    public Bottleneck(BlockContext ctx) : base(ctx.InChannels, expansion * ctx.Planes, ctx.block_input(), ctx.branch_end(expansion * ctx.Planes))
    {
        var p = ctx.Planes;
        conv1 = register_module("conv1", ctx.conv(ctx.InChannels, p, 1));
        norm1 = register_module("norm1", ctx.norm(p));
        act1 = register_module("act1", ctx.act());
        conv2 = register_module("conv2", ctx.conv(p, p, 3, ctx.Stride));
        norm2 = register_module("norm2", ctx.norm(p));
        act2 = register_module("act2", ctx.act());
        conv3 = register_module("conv3", ctx.conv(p, out_channels, 1));
        norm3 = register_module("norm3", ctx.norm(out_channels));
        shortcut = register_module("shortcut", ctx.shortcut(ctx.InChannels, out_channels, ctx.Stride));
        act3 = register_module("act3", ctx.act());
    }

    public override Tensor forward(Tensor x)
    {
        using var u = unit_input(x); // (B, C_in, H, W)
        using var branch = chain(u, conv1, norm1, act1, conv2, norm2, act2, conv3, norm3); // (B, 4·planes, H/s, W/s)
        using var skip = shortcut.call(u);
        using var end = branch_output(branch);
        using var sum = skip + end;
        return act3.call(sum);
    }
}
