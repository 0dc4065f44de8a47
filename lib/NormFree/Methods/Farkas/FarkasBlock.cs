using NormFree.Init;
using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Methods.Farkas;

/// <summary>Residual Farkas block, Pooladian et al. (2019), Algorithm 2: a branch of Farkas convs closed by a plain
/// bias-free conv, y = branch(x) (B, c, H, W); then the extra channel is built from the residual sum,
/// ȳ = agg_c(−(x + y)), and out = norm(relu(cat_c[x + y, ȳ] + cat[b[0:c], max(agg(−b[0:c]), b[c])])).
/// Every block adds one channel: c → c + 1.
/// <list type="bullet">
/// <item><see cref="Basic"/>: FarkasConv 3×3 (c → c, i.e. c − 1 free + 1) → norm → conv 3×3 (c → c).</item>
/// <item><see cref="Bottleneck"/>: FarkasConv 1×1 (c → c/4) → norm → FarkasConv 3×3 (c/4 → c/4) → norm →
/// conv 1×1 (c/4 → c).</item>
/// </list>
/// <para>Shapes: (B, c, H, W) → (B, c + 1, H, W); bias (c + 1).</para>
/// <para>Init: the Farkas convs and the last conv PyTorch's default; the block bias U(±1/√fan_in) with the last conv's
/// fan_in. <c>zero_last</c> (Table 4): the last conv's weight and the block bias start at 0, so the block starts
/// as relu(cat[x, agg(−x)]) — the identity on the c channels of a non-negative input.
/// NOTE: the reference code's bottleneck re-initialises after zeroing (zero_last has no effect there) and draws its
/// bias with a 3×3, c-channel fan_in; here both forms zero and draw alike, with the last conv's own fan_in.</para></summary>
public sealed class FarkasBlock : ResidualBlock
{
    public Aggregation aggregation { get; }
    public bool zero_last { get; }

    /// <summary>The residual branch x ↦ y, (B, c, H, W) → (B, c, H, W).</summary>
    public Sequential branch { get; }

    /// <summary>The plain bias-free conv that closes the branch (what <see cref="zero_last"/> zeroes).</summary>
    public Conv2d last { get; }

    /// <summary>(c + 1): b[0:c] for the residual sum's channels, b[c] = β for the extra one. Setting it registers it
    /// as "bias" (Module.to replaces it through this setter).</summary>
    public Parameter bias
    {
        get => bias_;
        private set
        {
            bias_ = (Parameter)value.DetachFromDisposeScope();
            ConditionallyRegisterParameter(nameof(bias), bias_);
        }
    }
    Parameter bias_ = null!;

    /// <summary>The normalization after the block's ReLU (BatchNorm2d without affine in the reference nets) or
    /// <see cref="Identity"/>.</summary>
    public nn.Module<Tensor, Tensor> norm { get; }

    FarkasBlock(long channels, Sequential branch, Conv2d last, Aggregation aggregation, bool zero_last, nn.Module<Tensor, Tensor> norm)
        : base(channels, channels + 1)
    {
        this.aggregation = aggregation;
        this.zero_last = zero_last;
        this.branch = branch;
        register_module("branch", this.branch);
        this.last = last; // registered inside the branch
        bias = new Parameter(torch.empty([channels + 1])); // registers "bias"
        this.norm = norm;
        register_module("norm", this.norm);
        reset_parameters();
    }

    /// <summary>Basic form (the paper's 18- and 34-layer nets). <paramref name="norm"/> makes the normalization
    /// for a channel count (null: none).</summary>
    public static FarkasBlock Basic(long channels, Aggregation aggregation = Aggregation.Sum, bool zero_last = false, Func<long, nn.Module<Tensor, Tensor>>? norm = null)
    {
        norm ??= _ => nn.Identity();
        var conv2 = nn.Conv2d(channels, channels, 3, padding: 1, bias: false);
        var branch = nn.Sequential(
            ("farkas1", new FarkasConv2d(channels, channels, 3, aggregation: aggregation)),
            ("norm1", norm(channels)),
            ("conv2", conv2));
        return new FarkasBlock(channels, branch, conv2, aggregation, zero_last, norm(channels + 1));
    }

    /// <summary>Bottleneck form (the paper's 50- and 101-layer nets), c/4 channels inside (integer division, as the
    /// reference code); needs c/4 ≥ 2 so each Farkas conv has a free unit.</summary>
    public static FarkasBlock Bottleneck(long channels, Aggregation aggregation = Aggregation.Sum, bool zero_last = false, Func<long, nn.Module<Tensor, Tensor>>? norm = null)
    {
        norm ??= _ => nn.Identity();
        var inner = channels / 4; // He et al. (2016a), Fig. 5: the bottleneck is 4× narrower
        if (inner < 2) throw new ArgumentException($"a Farkas bottleneck needs c/4 ≥ 2 inner channels, got c = {channels}", nameof(channels));
        var conv3 = nn.Conv2d(inner, channels, 1, bias: false);
        var branch = nn.Sequential(
            ("farkas1", new FarkasConv2d(channels, inner, 1, aggregation: aggregation)),
            ("norm1", norm(inner)),
            ("farkas2", new FarkasConv2d(inner, inner, 3, aggregation: aggregation)),
            ("norm2", norm(inner)),
            ("conv3", conv3));
        return new FarkasBlock(channels, branch, conv3, aggregation, zero_last, norm(channels + 1));
    }

    /// <summary>Re-draws (or zeroes, with <see cref="zero_last"/>) the last conv and the block bias.</summary>
    public void reset_parameters()
    {
        if (zero_last)
        {
            init.zeros_(last.weight);
            init.zeros_(bias);
            return;
        }
        last.reset_parameters();
        var (fanIn, _) = init.calculate_fan_in_and_fan_out(last.weight);
        var bound = 1 / Math.Sqrt(fanIn); // PyTorch's default conv bias bound
        init.uniform_(bias, -bound, bound);
    }

    /// <summary>z = cat[x + y, agg(−(x + y))] + cat[b[0:c], b̄] (Algorithm 2, before the ReLU): at least one of the
    /// c + 1 channels is ≥ 0 at every pixel, whatever x and the weights.</summary>
    public Tensor preactivation(Tensor x)
    {
        Shapes.Expect(x, 4, "FarkasBlock", $"(B, {in_channels}, H, W)", in_channels);
        using var y = branch.call(x); // (B, c, H, W)
        using var sum = x + branch_output(y); // residual sum
        return FarkasF.preactivation(sum, bias, aggregation, 1); // (B, c + 1, H, W)
    }

    public override Tensor forward(Tensor x)
    {
        using var z = preactivation(x);
        using var a = F.relu(z);
        return norm.call(a);
    }

    // Every member is registered by name in the constructor; skip TorchSharp's field scan (run when a parent registers
    // this module), which would register the backing fields a second time (and the branch's last conv as "last").
    protected override void RegisterComponents() { }
}
