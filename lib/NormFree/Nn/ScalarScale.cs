namespace NormFree.Nn;

/// <summary>y = s · x with one learnable scalar s: FixUp's multiplier per residual branch (init 1; Zhang et al. 2019,
/// §3, rule 3), ConstNet's block scale (Blumenfeld et al. 2020) and SkipInit's α (init 0; De &amp; Smith 2020, §4).
/// <para>Shapes: any → the same; s (1).</para></summary>
public sealed class ScalarScale : nn.Module<Tensor, Tensor>
{
    public Parameter scale
    {
        get => scale_;
        // Module.to() swaps in the moved tensor through this setter: keep the registration in step.
        private set { scale_ = (Parameter)value.DetachFromDisposeScope(); ConditionallyRegisterParameter(nameof(scale), scale_); }
    }
    Parameter scale_ = null!;

    /// <summary>The value s starts at (and returns to on <see cref="reset_parameters"/>).</summary>
    public double initial { get; }

    public ScalarScale(double initial = 1) : base(nameof(ScalarScale))
    {
        this.initial = initial;
        scale = new Parameter(torch.full([1], initial));
    }

    public void reset_parameters()
    {
        using var _ = torch.no_grad();
        scale.fill_(initial);
    }

    public override Tensor forward(Tensor input) => input * scale;

    // Members are registered by name in the constructor; TorchSharp's field scan would register the auto-properties'
    // backing fields a second time (register_module runs it on every child).
    protected override void RegisterComponents() { }
}
