using NormFree.Nn;

namespace NormFree.Methods.Farkas;

/// <summary>The deep narrow ReLU nets of the "born dead" analysis (Lu et al. 2020, §3; Pooladian et al. 2019, §2):
/// Flatten → <c>depth</c> hidden layers of <c>width</c> ReLU units → Linear(width → classes). Plain: Linear + ReLU;
/// Farkas: <see cref="FarkasLinear"/> with the same output width (width − 1 free units + the aggregated one), so both
/// nets have the same number of units per layer. PyTorch's default init everywhere.
/// <para>Shapes: (B, …) with ∏… = in_features → (B, classes).</para></summary>
public static class NarrowMlp
{
    public static Sequential Build(long in_features, long width, int depth, long classes, bool farkas, Aggregation aggregation = Aggregation.Sum)
    {
        if (depth < 1) throw new ArgumentException($"need at least one hidden layer, got depth {depth}", nameof(depth));
        if (width < 2) throw new ArgumentException($"a Farkas layer needs width ≥ 2 (one free unit + the aggregated one), got {width}; plain nets use the same widths", nameof(width));
        var net = nn.Sequential(("flatten", nn.Flatten()));
        var features = in_features;
        for (var k = 0; k < depth; k++)
        {
            net.append($"hidden{k}", farkas
                ? new FarkasLinear(features, width, aggregation)
                : nn.Sequential(("linear", nn.Linear(features, width)), ("relu", nn.ReLU())));
            features = width;
        }
        return net.append("head", nn.Linear(features, classes));
    }
}
