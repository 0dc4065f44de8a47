using NormFree.Nn;

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

    public nn.Module<Tensor, Tensor> conv1 { get; }
    public nn.Module<Tensor, Tensor> norm1 { get; }
    public nn.Module<Tensor, Tensor> act1 { get; }
    public nn.Module<Tensor, Tensor> conv2 { get; }
    public nn.Module<Tensor, Tensor> norm2 { get; }
    public nn.Module<Tensor, Tensor> act2 { get; }
    public nn.Module<Tensor, Tensor> conv3 { get; }
    public nn.Module<Tensor, Tensor> norm3 { get; }
    public nn.Module<Tensor, Tensor> shortcut { get; }
    public nn.Module<Tensor, Tensor> act3 { get; }

    public Bottleneck(BlockContext ctx) : base(ctx.InChannels, expansion * ctx.Planes, ctx.block_input(), ctx.branch_end(expansion * ctx.Planes))
    {
        var p = ctx.Planes;
        conv1 = ctx.conv(ctx.InChannels, p, 1);
        register_module("conv1", conv1);
        norm1 = ctx.norm(p);
        register_module("norm1", norm1);
        act1 = ctx.act();
        register_module("act1", act1);
        conv2 = ctx.conv(p, p, 3, ctx.Stride);
        register_module("conv2", conv2);
        norm2 = ctx.norm(p);
        register_module("norm2", norm2);
        act2 = ctx.act();
        register_module("act2", act2);
        conv3 = ctx.conv(p, out_channels, 1);
        register_module("conv3", conv3);
        norm3 = ctx.norm(out_channels);
        register_module("norm3", norm3);
        shortcut = ctx.shortcut(ctx.InChannels, out_channels, ctx.Stride);
        register_module("shortcut", shortcut);
        act3 = ctx.act();
        register_module("act3", act3);
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
