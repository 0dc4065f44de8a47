using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Methods.ConstNet;

/// <summary>ConstNet's single-conv pre-activation block (Blumenfeld et al. 2020, §4, Appendix C):
/// <code>
///   with BN:     u = BN(x);      F = dropout(conv3×3_s(relu(u)))
///   without BN:  u = x + b0;     F = scale · (dropout(conv3×3_s(relu(u))) + b1)      (b0 = b1 = 0, scale = 1)
///   y = skip(u) + F,   skip = x when the shape is kept, else conv1×1_s(u) (no bias)
/// </code>
/// <para>Shapes: (B, C_in, H, W) → (B, planes, H/s, W/s).</para>
/// NOTE: the 1×1 skip reads u (not relu(u)), as in the paper's code; its weight is set by <see cref="ConstNet"/>'s
/// init (1/C_in, an averaging/widening operator), not here.</summary>
public sealed class ConstNetBlock : ResidualBlock
{
    /// <summary>BatchNorm2d, or a <see cref="ScalarBias"/> (b0) without BN.</summary>
    public nn.Module<Tensor, Tensor> pre { get; }
    public nn.Module<Tensor, Tensor> act { get; }
    public Conv2d conv { get; }
    public Dropout dropout { get; }
    /// <summary>b1 and the scalar scale of the BN-free block; null with BN.</summary>
    public ScalarBias? post_bias { get; }
    public ScalarScale? scale { get; }
    /// <summary>Null when the block keeps its shape (identity skip on x).</summary>
    public Conv2d? skip { get; }

    public ConstNetBlock(BlockContext ctx) : base(ctx.InChannels, ctx.Planes)
    {
        var normalization = ctx.Config.Normalization;
        pre = normalization ? nn.BatchNorm2d(ctx.InChannels) : new ScalarBias();
        register_module("pre", pre);
        act = ctx.act();
        register_module("act", act);
        conv = nn.Conv2d(ctx.InChannels, ctx.Planes, 3, ctx.Stride, padding: 1, bias: false);
        register_module("conv", conv);
        dropout = nn.Dropout(ctx.Config.Dropout);
        register_module("dropout", dropout);
        if (!normalization)
        {
            post_bias = new ScalarBias();
            register_module("post_bias", post_bias);
            scale = new ScalarScale();
            register_module("scale", scale);
        }
        if (ctx.InChannels != ctx.Planes || ctx.Stride != 1)
        {
            skip = nn.Conv2d(ctx.InChannels, ctx.Planes, 1, ctx.Stride, bias: false);
            register_module("skip", skip);
        }
    }

    public override Tensor forward(Tensor x)
    {
        using var u = pre.call(x); // (B, C_in, H, W)
        using var h = chain(u, act, conv, dropout); // (B, planes, H/s, W/s)
        using var branch = post_bias is null ? h.alias() : chain(h, post_bias, scale!);
        using var identity = skip is null ? x.alias() : skip.call(u);
        return identity + branch_output(branch);
    }

    // Every member is registered by name above; skip TorchSharp's field scan (run when a parent registers this
    // module), which would register the auto-properties' backing fields a second time.
    protected override void RegisterComponents() { }
}
