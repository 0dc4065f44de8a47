using NormFree.Models;
using NormFree.Nn;

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
    public nn.Module<Tensor, Tensor> conv1 { get; }
    public ScalarBias bias1b { get; }
    public nn.Module<Tensor, Tensor> act1 { get; }
    public ScalarBias bias2a { get; }
    public nn.Module<Tensor, Tensor> conv2 { get; }
    public ScalarScale scale { get; }
    public ScalarBias bias2b { get; }
    public nn.Module<Tensor, Tensor> shortcut { get; }
    public nn.Module<Tensor, Tensor> act2 { get; }

    public FixupBasicBlock(BlockContext ctx) : base(ctx.InChannels, ctx.Planes)
    {
        bias1a = new ScalarBias();
        register_module("bias1a", bias1a);
        conv1 = ctx.conv(ctx.InChannels, ctx.Planes, 3, ctx.Stride);
        register_module("conv1", conv1);
        bias1b = new ScalarBias();
        register_module("bias1b", bias1b);
        act1 = ctx.act();
        register_module("act1", act1);
        bias2a = new ScalarBias();
        register_module("bias2a", bias2a);
        conv2 = ctx.conv(ctx.Planes, ctx.Planes, 3);
        register_module("conv2", conv2);
        scale = new ScalarScale();
        register_module("scale", scale);
        bias2b = new ScalarBias();
        register_module("bias2b", bias2b);
        shortcut = ctx.shortcut(ctx.InChannels, ctx.Planes, ctx.Stride, withNorm: false);
        register_module("shortcut", shortcut);
        act2 = ctx.act();
        register_module("act2", act2);
    }

    public override Tensor forward(Tensor x)
    {
        using var shifted = bias1a.call(x); // x + b1a
        using var branch = chain(shifted, conv1, bias1b, act1, bias2a, conv2, scale, bias2b); // (B, planes, H/s, W/s)
        using var skip = shortcut is Identity ? x.alias() : shortcut.call(shifted);
        using var sum = skip + branch_output(branch);
        return act2.call(sum);
    }

    // Every member is registered by name above; skip TorchSharp's field scan (run when a parent registers this
    // module), which would register the auto-properties' backing fields a second time.
    protected override void RegisterComponents() { }
}
