using NormFree.Torch;

namespace NormFree.Nn;

/// <summary>y = s · x with one learnable scalar s: FixUp's multiplier per residual branch (init 1; Zhang et al. 2019,
/// §3, rule 3), ConstNet's block scale (Blumenfeld et al. 2020) and SkipInit's α (init 0; De &amp; Smith 2020, §4).
/// <para>Shapes: any → the same; s (1).</para></summary>
public sealed class ScalarScale : Module
{
    public Parameter scale { get; }

    /// <summary>The value s starts at (and returns to on <see cref="reset_parameters"/>).</summary>
    public double initial { get; }

    public ScalarScale(double initial = 1)
    {
        this.initial = initial;
        using var s = torch.full([1], initial);
        scale = register_parameter("scale", new Parameter(s))!;
    }

    public void reset_parameters()
    {
        using var _ = torch.no_grad();
        scale.fill_(initial);
    }

    public override Tensor forward(Tensor input) => input * scale;

    protected override string extra_repr() => $"initial={initial}";
}
