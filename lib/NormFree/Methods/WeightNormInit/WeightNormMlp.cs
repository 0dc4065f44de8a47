using NormFree.Nn;

namespace NormFree.Methods.WeightNormInit;

/// <summary>The weight-normalised feedforward ReLU net of Arpit et al. (2019), §3 (official code: <c>MLP</c>):
/// <code>  hˡ = relu(gˡ ⊙ V̂ˡ hˡ⁻¹ + bˡ),  l = 1..L,   logits = Linear(h^L)  </code>
/// with a plain Linear classifier (PyTorch default init). Modules: "flatten", then "fc1", "relu1", …, "fcL",
/// "reluL", then "classifier".
/// <para>Shapes: (B, in_features) — or any (B, ...) that flattens to it — → (B, num_classes).</para></summary>
public static class WeightNormMlp
{
    /// <param name="in_features">Input features after flattening.</param>
    /// <param name="widths">The hidden widths n₁ … n_L.</param>
    /// <param name="num_classes">Outputs of the classifier.</param>
    /// <param name="scheme">The init of the hidden layers (every one has role <see cref="WeightNormRole.Hidden"/>);
    /// stage-wise Hanin is for ResNets only.</param>
    /// <param name="init_batch">Required by, and only used for, the data-dependent scheme.</param>
    /// <param name="generator">Generator for V (null: the global one).</param>
    public static Sequential Build(long in_features, IReadOnlyList<long> widths, long num_classes, WeightNormScheme scheme,
        Tensor? init_batch = null, Generator? generator = null)
    {
        if (widths.Count == 0) throw new ArgumentException("a feedforward net needs at least one hidden layer", nameof(widths));
        if (scheme == WeightNormScheme.DataDependent && init_batch is null)
            throw new ArgumentException("the data-dependent init needs an init batch", nameof(init_batch));
        if (scheme == WeightNormScheme.StageWiseHanin)
            throw new ArgumentException("stage-wise Hanin is defined for the convs of a ResNet, not for feedforward layers", nameof(scheme));
        var net = nn.Sequential(("flatten", nn.Flatten()));
        var fanIn = in_features;
        for (var l = 0; l < widths.Count; l++)
        {
            var layer = new WeightNorm(nn.Linear(fanIn, widths[l]));
            WeightNormSchemes.init_(layer, scheme, WeightNormRole.Hidden, generator: generator);
            net.append($"fc{l + 1}", layer).append($"relu{l + 1}", nn.ReLU());
            fanIn = widths[l];
        }
        net.append("classifier", nn.Linear(fanIn, num_classes));
        if (scheme == WeightNormScheme.DataDependent) DataDependentInit.apply(net, init_batch!);
        return net;
    }
}
