using NormFree.Init;
using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Methods.ConstNet;

/// <summary>Builds ConstNet (Blumenfeld et al. 2020, §4) and its He-initialised twin with the shared
/// <see cref="ResNet"/> builder: single-conv blocks (<see cref="ConstNetBlock"/>), a conv1 stem followed by the
/// optional "dropl1" dropout, the pre-activation head (norm → ReLU → pool → Linear), and the ConstNet init.
/// <para>At init every channel of every layer is identical, the logits are exactly 0 and only the classifier gets a
/// gradient (§4, "the network output is constant") — symmetry that only noise in training can break.</para></summary>
public static class ConstNet
{
    public static ResNet Build(ConstNetConfig config)
    {
        var parts = new ResNetParts
        {
            Block = ctx => new ConstNetBlock(ctx),
            Stem = (c, p) => nn.Sequential(
                ("conv", nn.Conv2d(c.InChannels, c.StemWidth, 3, padding: 1, bias: false)),
                ("dropl1", nn.Dropout(config.DropL1 ? config.Dropout : 0))),
            Init = config.Init == ConstNetInit.Const ? ConstInit : HeInit,
        };
        return ResNet.Build(config.ToResNetConfig(), parts);
    }

    /// <summary>§4 and Appendix C: conv1 and every 1×1 skip average their inputs (centre tap 1/C_in for every
    /// (out, in) pair), every block conv is zero, and the classifier's weight and bias are zero.</summary>
    public static void ConstInit(ResNet model)
    {
        foreach (var conv in model.modules().OfType<Conv2d>())
        {
            if (conv.bias is not null) init.zeros_(conv.bias);
            if (IsBlockConv(model, conv)) init.zeros_(conv.weight);
            else averaging_(conv.weight);
        }
        foreach (var fc in model.head.modules().OfType<Linear>())
        {
            init.zeros_(fc.weight);
            if (fc.bias is not null) init.zeros_(fc.bias);
        }
    }

    /// <summary>The comparison net: every conv ~ N(0, 2/fan_in) (He et al. 2015), classifier at PyTorch's default.</summary>
    public static void HeInit(ResNet model) => ResNetInit.He(model);

    /// <summary>W[o, i, centre] = 1/C_in, zero elsewhere: every output channel is the average of the input channels
    /// (for a 1×1 kernel the centre is the only tap).</summary>
    public static Tensor averaging_(Tensor weight)
    {
        var (cOut, cIn, k) = (weight.size(0), weight.size(1), weight.size(2));
        using var _ = torch.no_grad();
        weight.zero_();
        using var row = weight.select(2, k / 2); // (C_out, C_in, k), a view
        using var centre = row.select(2, k / 2); // (C_out, C_in), a view
        centre.fill_(1.0 / cIn);
        return weight;
    }

    /// <summary>Adds ε·N(0, 1)·std(W) noise to every conv and Linear weight — the paper's explicit alternative to
    /// dropout for breaking symmetry (§5). Zero-initialised weights (std 0) get ε·N(0, 1)·√(2/fan_in) instead, so
    /// the noise is ε relative to a He init of the same layer.</summary>
    public static void AddWeightNoise(nn.Module<Tensor, Tensor> model, double epsilon, Generator? generator = null)
    {
        using var _ = torch.no_grad();
        foreach (var layer in model.modules().OfType<nn.Module<Tensor, Tensor>>().Where(WeightedLayer.Is))
        {
            using var scope = torch.NewDisposeScope();
            var w = WeightedLayer.weight(layer);
            var std = w.std().ToDouble();
            if (std == 0) std = Math.Sqrt(2.0 / init.calculate_fan(w));
            var noise = torch.randn(w.shape, w.dtype, w.device, generator: generator);
            w.add_(noise * (epsilon * std));
        }
    }

    static bool IsBlockConv(ResNet model, Conv2d conv) => model.blocks.OfType<ConstNetBlock>().Any(b => ReferenceEquals(b.conv, conv));
}
