using NormFree.Nn;

namespace NormFree.Optim;

/// <summary>Common ways to split a model's parameters into <see cref="ParamGroup"/>s.</summary>
public static class ParamGroups
{
    /// <summary>Weight decay on weights only, not on biases, gains or scalars (the Farkas et al. protocol: "weight
    /// decay 5e-4 on weights only"): parameters of rank ≥ 2 (Linear and conv weights) get
    /// <paramref name="weight_decay"/>, the others 0. Empty groups are left out.</summary>
    public static List<SGD.ParamGroup> decay_weights_only(nn.Module<Tensor, Tensor> model, double weight_decay)
    {
        var weights = model.parameters().Where(p => p.dim() >= 2).ToList();
        var others = model.parameters().Where(p => p.dim() < 2).ToList();
        var groups = new List<SGD.ParamGroup>();
        if (weights.Count > 0) groups.Add(new SGD.ParamGroup(weights, new SGD.Options { weight_decay = weight_decay }));
        if (others.Count > 0) groups.Add(new SGD.ParamGroup(others, new SGD.Options { weight_decay = 0 }));
        return groups;
    }
}
