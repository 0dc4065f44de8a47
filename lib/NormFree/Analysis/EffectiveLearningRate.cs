using NormFree.Nn;

namespace NormFree.Analysis;

/// <summary>One layer's weight scale and the effective learning rate it implies.</summary>
public sealed record LayerEffectiveLr(string Name, double WeightNormSquared, double EffectiveLr);

/// <summary>Effective learning rate of a scale-invariant weight: when the loss does not change under W → cW (a
/// conv followed by BatchNorm, the direction V of a weight-normalised layer), ∇L(cW) = ∇L(W)/c, so an SGD step of
/// size lr moves the direction W/‖W‖ as a step of lr/‖W‖² would at unit norm (van Laarhoven 2017, §3; Hoffer et al.
/// 2018, §2):
/// <code>  lr_eff = lr / ‖W‖²,   ‖W‖² summed over the whole layer weight  </code>
/// Computed for every <see cref="WeightedLayer"/> of a model, as <see cref="FilterNorms"/>.</summary>
public static class EffectiveLearningRate
{
    public static IReadOnlyList<LayerEffectiveLr> of(nn.Module<Tensor, Tensor> model, double lr)
    {
        if (!(lr >= 0)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "the learning rate must be non-negative");
        return FilterNorms.WeightedLayers(model).Select(e =>
        {
            var normSq = FilterNorms.of(WeightedLayer.weight(e.layer)).Sum(n => n * n); // ‖W‖² = Σ_o ‖W_o‖²
            return new LayerEffectiveLr(e.name, normSq, lr / normSq);
        }).ToList();
    }
}
