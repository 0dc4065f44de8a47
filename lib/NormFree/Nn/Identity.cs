using NormFree.Torch;

namespace NormFree.Nn;

/// <summary>y = x, as torch.nn.Identity: a placeholder where a model's choice is "nothing here" (e.g. no
/// normalization). Returns a new handle to the same tensor, so callers may dispose input and output independently.
/// Shapes: any → the same.</summary>
public sealed class Identity : Module
{
    public override Tensor forward(Tensor input) => input.alias();
}
