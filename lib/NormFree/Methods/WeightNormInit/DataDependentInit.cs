using NormFree.Analysis;
using NormFree.Nn;

namespace NormFree.Methods.WeightNormInit;

/// <summary>Data-dependent init of weight-normalised layers, Salimans &amp; Kingma (2016), §3, eq. 6: on a first
/// batch, layer by layer in forward order, with g = 1 and b = 0 the pre-activation is t = V̂x; with μ[t], σ[t] its
/// per-unit mean and standard deviation over the batch (and positions, for a conv),
/// <code>  g ← 1/σ[t],   b ← −μ[t]/σ[t],   so that   a = g·V̂x + b = (t − μ[t])/σ[t]  </code>
/// has zero mean and unit variance on that batch. V keeps its own init (orthogonal in
/// <see cref="WeightNormScheme.DataDependent"/>).
/// <para>One forward pass does it: a hook at each weight-normalised layer's output sets g and b and normalises
/// that output in place, so every later layer sees the already-initialised earlier ones, exactly as in the
/// layer-by-layer procedure.</para>
/// <para>NOTE: σ is floored at 1e-5 (BatchNorm's default ε) so that a unit that is constant on the batch gets a
/// finite gain; the paper does not say what to do there. σ is the biased (population) standard deviation, as in
/// the official code of Arpit et al. (2019).</para></summary>
public static class DataDependentInit
{
    /// <summary>BatchNorm's default ε, used as the floor of σ (see the class NOTE).</summary>
    const double MinStd = 1e-5;

    /// <summary>Initialises g and b of every <see cref="WeightNorm"/> of <paramref name="model"/> from
    /// <paramref name="batch"/> (each layer must have a bias and be called once per forward pass).</summary>
    public static void apply(nn.Module<Tensor, Tensor> model, Tensor batch)
    {
        var layers = model.modules().OfType<WeightNorm>().ToList();
        if (layers.Count == 0) throw new ArgumentException("the model has no WeightNorm layer to initialise", nameof(model));
        foreach (var layer in layers)
        {
            if (layer.mode != WeightNormMode.Normalized)
                throw new ArgumentException($"data-dependent init is for W = g·V/‖V‖ (WeightNormMode.Normalized), got {layer.mode}", nameof(model));
            if (WeightedLayer.bias(layer.layer) is null)
                throw new ArgumentException($"data-dependent init sets b = −μ/σ, but its {layer.layer.GetType().Name} has no bias", nameof(model));
        }
        using var _ = torch.no_grad();
        foreach (var layer in layers)
        {
            layer.weight_g.fill_(1); // W = V/‖V‖
            WeightedLayer.bias(layer.layer)!.zero_();
        }
        var seen = new HashSet<WeightNorm>();
        using var output = ForwardProbe.run(model, batch, m => m is WeightNorm, (name, module, t) =>
        {
            var layer = (WeightNorm)module;
            if (!seen.Add(layer)) throw new InvalidOperationException($"'{name}' ran twice in one forward pass; data-dependent init needs each layer once");
            Normalise(layer, t);
        });
    }

    /// <summary>Sets g = 1/σ, b = −μ/σ from the pre-activation t (B, C, ...) and rewrites t as (t − μ)/σ.</summary>
    static void Normalise(WeightNorm layer, Tensor t)
    {
        var dims = Enumerable.Range(0, (int)t.dim()).Where(d => d != 1).Select(d => (long)d).ToArray();
        var unitShape = Enumerable.Range(0, (int)t.dim()).Select(d => d == 1 ? t.size(1) : 1L).ToArray(); // (1, C, 1, ...)
        using var mu = t.mean(dims); // (C)
        using var variance = t.var(dims, unbiased: false); // (C)
        using var std = variance.sqrt();
        std.clamp_(min: MinStd);
        using var g = std.pow(-1); // 1/σ
        using var negMu = mu.neg();
        using var b = negMu / std; // −μ/σ
        layer.weight_g.copy_(g);
        WeightedLayer.bias(layer.layer)!.copy_(b);
        using var muU = mu.view(unitShape);
        using var stdU = std.view(unitShape);
        t.sub_(muU).div_(stdU); // the initialised layer's output, for the layers after it
    }
}
