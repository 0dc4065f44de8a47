using NormFree.Nn;

namespace NormFree.Methods.ConstNet;

/// <summary>How a layer passes a symmetry-breaking perturbation (Blumenfeld et al. 2020, §6): for input x and
/// perturbation δ, <c>gain = ‖f(x + δ) − f(x)‖ / ‖δ‖</c>. An 'i' (identity) layer passes δ unchanged (gain 1 without
/// widening); a '1' (averaging) layer keeps only δ's channel mean, so a perturbation that is zero-mean across
/// channels vanishes and a random one shrinks by about √C_in.</summary>
public static class Perturbation
{
    public static double gain(nn.Module<Tensor, Tensor> layer, Tensor x, Tensor delta)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var clean = layer.call(x);
        var perturbed = layer.call(x + delta);
        return (perturbed - clean).norm().ToDouble() / delta.norm().ToDouble();
    }

    /// <summary>A perturbation of <paramref name="shape"/> (B, C, …) with zero mean across channels at every
    /// position — it changes no channel average, only the differences between channels.</summary>
    public static Tensor zero_channel_mean(long[] shape, double scale = 1, Generator? generator = null)
    {
        using var scope = torch.NewDisposeScope();
        var d = torch.randn(shape, generator: generator);
        var centred = (d - d.mean([1], keepdim: true)) * scale;
        return centred.MoveToOuterDisposeScope();
    }
}
