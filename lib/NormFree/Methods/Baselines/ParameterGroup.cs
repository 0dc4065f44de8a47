using NormFree.Nn;

namespace NormFree.Methods.Baselines;

/// <summary>Parameters an optimizer treats alike: their learning rate is the base LR × <see cref="LrFactor"/>.</summary>
public sealed record ParameterGroup(string Name, IReadOnlyList<Parameter> Parameters, double LrFactor);
