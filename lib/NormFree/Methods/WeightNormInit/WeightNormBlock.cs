using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Methods.WeightNormInit;

/// <summary>The residual block of Arpit et al. (2019), §4 (official code: <c>WRNResBlock</c> without BN):
/// <code>  F(x) = conv2(relu(conv1(x))),   y = shortcut(x) + F(x)  </code>
/// no normalization, no pre-activation and no ReLU after the sum; conv1 carries the stride; the shortcut is the
/// identity, or a 1×1 conv (without norm) where width or stride change. With weight-normalised convs from
/// <see cref="WeightNormResNet"/> each conv is g·V/‖V‖ with its own γ (<see cref="WeightNormRole"/>).
/// <para>Shapes: (B, C_in, H, W) → (B, planes, H/s, W/s).</para></summary>
public sealed class WeightNormBlock : ResidualBlock
{
    public nn.Module<Tensor, Tensor> conv1 { get; }
    public nn.Module<Tensor, Tensor> act { get; }
    public nn.Module<Tensor, Tensor> conv2 { get; }
    public nn.Module<Tensor, Tensor> shortcut { get; }

    /// <summary>b, the block's 0-based position within its stage.</summary>
    public int index { get; }

    /// <summary>B_k, the number of blocks in the block's stage (conv2's γ = 1/B_k).</summary>
    public int blocks_in_stage { get; }

    public WeightNormBlock(BlockContext ctx) : base(ctx.InChannels, ctx.Planes)
    {
        index = ctx.Index;
        blocks_in_stage = ctx.BlocksInStage;
        conv1 = ctx.conv(ctx.InChannels, ctx.Planes, 3, ctx.Stride);
        register_module("conv1", conv1);
        act = ctx.act();
        register_module("act", act);
        conv2 = ctx.conv(ctx.Planes, ctx.Planes, 3);
        register_module("conv2", conv2);
        shortcut = ctx.shortcut(ctx.InChannels, ctx.Planes, ctx.Stride, withNorm: false);
        register_module("shortcut", shortcut);
    }

    public override Tensor forward(Tensor x)
    {
        using var branch = chain(x, conv1, act, conv2); // (B, planes, H/s, W/s)
        using var skip = shortcut.call(x);
        return skip + branch_output(branch); // no ReLU after the sum (§4)
    }

    // Every member is registered by name in the constructor; skip TorchSharp's field scan (run when a parent registers
    // this module), which would register the auto-properties' backing fields a second time.
    protected override void RegisterComponents() { }
}
