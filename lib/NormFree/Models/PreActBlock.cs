using NormFree.Nn;

namespace NormFree.Models;

/// <summary>Pre-activation wide block, Zagoruyko &amp; Komodakis (2016), Fig. 1(d) (after He et al. 2016b):
/// u = act1(norm1(x)); F = conv2(dropout(act2(norm2(conv1(u))))); y = shortcut + F, where the shortcut is x when
/// the shape is kept and a projection of u otherwise (as in the WRN reference code). No activation after the sum.
/// <para>Shapes: (B, C_in, H, W) → (B, planes, H/s, W/s).</para></summary>
public sealed class PreActBlock : ResidualBlock
{
    public nn.Module<Tensor, Tensor> norm1 { get; }
    public nn.Module<Tensor, Tensor> act1 { get; }
    public nn.Module<Tensor, Tensor> conv1 { get; }
    public nn.Module<Tensor, Tensor> norm2 { get; }
    public nn.Module<Tensor, Tensor> act2 { get; }
    public Dropout dropout { get; }
    public nn.Module<Tensor, Tensor> conv2 { get; }
    /// <summary>Null when the block keeps its shape (identity shortcut on x).</summary>
    public nn.Module<Tensor, Tensor>? shortcut { get; }

    public PreActBlock(BlockContext ctx) : base(ctx.InChannels, ctx.Planes, ctx.block_input(), ctx.branch_end(ctx.Planes))
    {
        norm1 = ctx.norm(ctx.InChannels);
        register_module("norm1", norm1);
        act1 = ctx.act();
        register_module("act1", act1);
        conv1 = ctx.conv(ctx.InChannels, ctx.Planes, 3, ctx.Stride);
        register_module("conv1", conv1);
        norm2 = ctx.norm(ctx.Planes);
        register_module("norm2", norm2);
        act2 = ctx.act();
        register_module("act2", act2);
        dropout = nn.Dropout(ctx.Config.Dropout);
        register_module("dropout", dropout);
        conv2 = ctx.conv(ctx.Planes, ctx.Planes, 3);
        register_module("conv2", conv2);
        if (ctx.InChannels != ctx.Planes || ctx.Stride != 1)
        {
            shortcut = ctx.shortcut(ctx.InChannels, ctx.Planes, ctx.Stride, withNorm: false);
            register_module("shortcut", shortcut);
        }
    }

    public override Tensor forward(Tensor x)
    {
        using var v = unit_input(x); // (B, C_in, H, W)
        using var u = chain(v, norm1, act1); // (B, C_in, H, W)
        using var branch = chain(u, conv1, norm2, act2, dropout, conv2); // (B, planes, H/s, W/s)
        using var skip = shortcut is null ? v.alias() : shortcut.call(u);
        using var end = branch_output(branch);
        return skip + end;
    }
}
