using NormFree.Init;
using NormFree.Nn;

namespace NormFree.Methods.ConstNet;

/// <summary>LeakyNet (Blumenfeld et al. 2020, §6, Table 2): a net without skips — conv1 + 3 stages × 4 convs, all
/// 3×3 without bias, widths 16 / 16k / 32k / 64k with stride 2 at the start of stages 2 and 3; layer ℓ computes
/// <c>LeakyReLU_α(conv_ℓ(x + b0_ℓ))</c> (α = 0.01, scalar b0 = 0), with BatchNorm after the odd layers when
/// <see cref="normalization"/>; head: global average pool → Linear, weight and bias zero ("in all runs, the final
/// layer was initialized to zero", §5.1).
/// <para>Each conv's init is one character of <see cref="init_string"/> (first = conv1, '_' ignored):
/// 'i' identity (W[d, d mod C_in, centre] = phase), '1' averaging (W[:, :, centre] = phase / C_in),
/// 'h' He for leaky ReLU; phase = +1 on even layers and −1/α on odd ones, so an 'i' pair computes −x exactly and a
/// '1' pair the negated channel average — without BN.</para>
/// <para>Shapes: (B, C_in, H, W) → (B, NumClasses).</para></summary>
public sealed class LeakyNet : nn.Module<Tensor, Tensor>
{
    /// <summary>Table 2's rows: (i, 1) counts (13, 0) … (0, 13), plus all-He.</summary>
    public static readonly IReadOnlyList<string> Table2 =
        ["hhhhhhhhhhhhh", "iiiiiiiiiiiii", "1_iiii_iiii_iiii", "1_iiii_11ii_iiii", "1_iiii_1111_iiii", "1_ii11_ii11_ii11", "1_1111_1111_1111"];

    public const double Alpha = 0.01; // §6: LeakyReLU slope of the paper's runs
    public string init_string { get; }
    public bool normalization { get; }
    public IReadOnlyList<Conv2d> convs { get; }
    readonly List<ScalarBias> biases = [];
    readonly List<nn.Module<Tensor, Tensor>> norms = [];
    readonly Linear fc;

    public LeakyNet(string init_string, int k = 1, long in_channels = 3, long num_classes = 10, bool normalization = false) : base(nameof(LeakyNet))
    {
        var codes = init_string.Replace("_", "");
        if (codes.Length != 13 || codes.Any(c => c is not ('i' or '1' or 'h')))
            throw new ArgumentException($"a LeakyNet init string has 13 characters from 'i', '1', 'h' (underscores ignored), got '{init_string}'", nameof(init_string));
        this.init_string = init_string;
        this.normalization = normalization;
        var list = new List<Conv2d>();
        var channels = in_channels;
        long[] widths = [16 * k, 32 * k, 64 * k];
        for (var layer = 0; layer < 13; layer++)
        {
            var (outChannels, stride) = layer == 0 ? (16L, 1L) : (widths[(layer - 1) / 4], layer is 5 or 9 ? 2L : 1L);
            var bias = new ScalarBias();
            register_module($"b0_{layer}", bias);
            biases.Add(bias);
            var conv = nn.Conv2d(channels, outChannels, 3, stride, padding: 1, bias: false);
            register_module($"conv{layer}", conv);
            list.Add(conv);
            nn.Module<Tensor, Tensor> norm = normalization && layer % 2 == 1 ? nn.BatchNorm2d(outChannels) : nn.Identity();
            register_module($"norm{layer}", norm);
            norms.Add(norm);
            channels = outChannels;
        }
        convs = list;
        fc = nn.Linear(channels, num_classes);
        register_module("fc", fc);
        reset_parameters();
    }

    public void reset_parameters()
    {
        var codes = init_string.Replace("_", "");
        for (var layer = 0; layer < 13; layer++) init_layer(convs[layer].weight, codes[layer], layer % 2 == 0 ? 1 : -1 / Alpha);
        init.zeros_(fc.weight); // §5.1: the final layer starts at zero, so the logits are 0 at init
        init.zeros_(fc.bias!);
    }

    /// <summary>Initialises one conv weight (C_out, C_in, k, k) by its code.</summary>
    public static void init_layer(Tensor weight, char code, double phase)
    {
        using var _ = torch.no_grad();
        var (cOut, cIn, k) = (weight.size(0), weight.size(1), weight.size(2));
        if (code == 'h')
        {
            init.kaiming_normal_(weight, a: Alpha, nonlinearity: "leaky_relu");
            return;
        }
        var values = new float[cOut * cIn * k * k]; // (C_out, C_in, k, k), row-major
        var centre = k / 2 * k + k / 2;
        for (long d = 0; d < cOut; d++)
        {
            if (code == 'i') values[(d * cIn + d % cIn) * k * k + centre] = (float)phase;
            else for (long c = 0; c < cIn; c++) values[(d * cIn + c) * k * k + centre] = (float)(phase / cIn);
        }
        using var source = torch.tensor(values, weight.shape);
        weight.copy_(source); // copy_ converts to the weight's dtype and device
    }

    public override Tensor forward(Tensor input)
    {
        Shapes.Expect(input, 4, "LeakyNet", $"(B, {convs[0].in_channels}, H, W)", convs[0].in_channels);
        var x = input.alias();
        for (var layer = 0; layer < 13; layer++)
        {
            using var shifted = biases[layer].call(x);
            using var z = convs[layer].call(shifted);
            using var a = F.leaky_relu(z, Alpha);
            x.Dispose();
            x = norms[layer].call(a);
        }
        using (x)
        {
            using var pooled = x.mean([2, 3]); // (B, C)
            return fc.call(pooled);
        }
    }
}
