using NormFree.Torch;

namespace NormFree.Nn;

/// <summary>y = s · x with one learnable scalar s (init 1): FixUp's multiplier per residual branch
/// (Zhang et al. 2019, §3, rule 3) and ConstNet's block scale (Blumenfeld et al. 2020).
/// <para>Shapes: any → the same; s (1).</para></summary>
public sealed class ScalarScale : Module
{
    public Parameter scale { get; }

    public ScalarScale()
    {
        using var s = torch.ones([1]);
        scale = register_parameter("scale", new Parameter(s))!;
    }

    public void reset_parameters()
    {
        using var _ = torch.no_grad();
        scale.fill_(1);
    }

    public override Tensor forward(Tensor input) => input * scale;
}
