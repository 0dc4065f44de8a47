using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Methods.Peers;

/// <summary>Normalizer-free pre-activation residual block (Brock, De &amp; Smith, ICLR 2021; reference code
/// nfnets/nf_resnet.py, NFResBlock):
/// <code>
/// x = act(h_i) / β_i                       act = γ·relu (<see cref="ScaledActivation"/>), β_i = √Var(h_i) expected
/// h_{i+1} = s(h_i, x) + α · f_i(x)         f_i = conv → act → conv (basic) or 1×1 → act → 3×3 → act → 1×1 (bottleneck)
/// </code>
/// with every conv scaled-weight-standardised (<see cref="ScaledWeightStandardization"/>), so at init f_i maps the
/// unit-variance x to unit-variance outputs and Var(h_{i+1}) = Var(h_i) + α². The skip s is h_i itself, or, where
/// the shape changes, a 1×1 conv of x — so a transition block's output variance restarts at 1 + α².
/// Since relu is positively homogeneous, act(h_i)/β_i = act(h_i/β_i), the paper's f_i(h_i/β_i).
/// <para>Shapes: (B, C_in, H, W) → (B, C_out, H/s, W/s); C_out = planes (basic) or 4·planes (bottleneck).</para></summary>
public sealed class NFBlock : ResidualBlock
{
    /// <summary>α: the residual branch's scale (paper and reference code: 0.2).</summary>
    public double alpha { get; }
    /// <summary>β_i: the expected standard deviation of the block's input h_i.</summary>
    public double beta { get; }
    public nn.Module<Tensor, Tensor> act1 { get; }
    /// <summary>The branch after act1: conv, act, conv (, act, conv).</summary>
    public IReadOnlyList<nn.Module<Tensor, Tensor>> branch { get; }
    /// <summary>The 1×1 projection of x where the shape changes; null: the skip is h_i.</summary>
    public nn.Module<Tensor, Tensor>? shortcut { get; }

    /// <param name="bottleneck">1×1 → 3×3 → 1×1 with <see cref="Bottleneck.expansion"/>·planes outputs (the
    /// reference code's block); false: two 3×3 convs with planes outputs (the CIFAR nets).</param>
    public NFBlock(BlockContext ctx, double alpha, double beta, bool bottleneck)
        : this(ctx, alpha, beta, bottleneck ? Bottleneck.expansion * ctx.Planes : ctx.Planes, bottleneck) { }

    NFBlock(BlockContext ctx, double alpha, double beta, long outChannels, bool bottleneck)
        : base(ctx.InChannels, outChannels, ctx.block_input(), ctx.branch_end(outChannels))
    {
        if (!(beta > 0)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "β (an expected standard deviation) must be positive");
        this.alpha = alpha;
        this.beta = beta;
        var p = ctx.Planes;
        act1 = ctx.act();
        register_module("act1", act1);
        nn.Module<Tensor, Tensor>[] layers = bottleneck
            ? [ctx.conv(ctx.InChannels, p, 1), ctx.act(), ctx.conv(p, p, 3, ctx.Stride), ctx.act(), ctx.conv(p, outChannels, 1)]
            : [ctx.conv(ctx.InChannels, p, 3, ctx.Stride), ctx.act(), ctx.conv(p, p, 3)];
        for (var i = 0; i < layers.Length; i++)
            register_module(i % 2 == 0 ? $"conv{i / 2 + 1}" : $"act{i / 2 + 2}", layers[i]);
        branch = layers;
        if (ctx.InChannels != outChannels || ctx.Stride != 1)
        {
            shortcut = ctx.conv(ctx.InChannels, outChannels, 1, ctx.Stride);
            register_module("shortcut", shortcut);
        }
    }

    public override Tensor forward(Tensor h)
    {
        using var u = unit_input(h);                                          // h_i (B, C_in, H, W)
        using var a = act1.call(u);
        using var x = a / beta;                                               // act(h_i / β_i)
        using var skip = shortcut is null ? u.alias() : shortcut.call(x);     // (B, C_out, H/s, W/s)
        using var f = chain(x, [.. branch]);                                  // f_i(h_i / β_i)
        using var end = branch_output(f);
        using var scaled = end * alpha;
        return skip + scaled;
    }

    // Every member is registered by name in the constructor; skip TorchSharp's field scan (run when a parent registers
    // this module), which would register the auto-properties' backing fields a second time.
    protected override void RegisterComponents() { }
}
