using NormFree.Nn;

namespace NormFree.Models;

/// <summary>Post-activation basic block, He et al. (2016a), Fig. 2 and §4.2:
/// F(x) = norm2(conv2(act1(norm1(conv1(x))))), y = act2(F(x) + shortcut(x)); conv1 carries the stride.
/// <para>Shapes: (B, C_in, H, W) → (B, planes, H/s, W/s).</para></summary>
public sealed class BasicBlock : ResidualBlock
{
    public nn.Module<Tensor, Tensor> conv1 { get; }
    public nn.Module<Tensor, Tensor> norm1 { get; }
    public nn.Module<Tensor, Tensor> act1 { get; }
    public nn.Module<Tensor, Tensor> conv2 { get; }
    public nn.Module<Tensor, Tensor> norm2 { get; }
    public nn.Module<Tensor, Tensor> shortcut { get; }
    public nn.Module<Tensor, Tensor> act2 { get; }

    public BasicBlock(BlockContext ctx) : base(ctx.InChannels, ctx.Planes, ctx.block_input(), ctx.branch_end(ctx.Planes))
    {
        conv1 = ctx.conv(ctx.InChannels, ctx.Planes, 3, ctx.Stride);
        register_module("conv1", conv1);
        norm1 = ctx.norm(ctx.Planes);
        register_module("norm1", norm1);
        act1 = ctx.act();
        register_module("act1", act1);
        conv2 = ctx.conv(ctx.Planes, ctx.Planes, 3);
        register_module("conv2", conv2);
        norm2 = ctx.norm(ctx.Planes);
        register_module("norm2", norm2);
        shortcut = ctx.shortcut(ctx.InChannels, ctx.Planes, ctx.Stride);
        register_module("shortcut", shortcut);
        act2 = ctx.act();
        register_module("act2", act2);
    }

    public override Tensor forward(Tensor x)
    {
        using var u = unit_input(x); // (B, C_in, H, W)
        using var branch = chain(u, conv1, norm1, act1, conv2, norm2); // (B, planes, H/s, W/s)
        using var skip = shortcut.call(u);
        using var end = branch_output(branch);
        using var sum = skip + end;
        return act2.call(sum);
    }
}
