namespace NormFree.Nn;

/// <summary>y = x + b with one learnable scalar b (init 0): FixUp's bias before each conv, linear and activation
/// (Zhang et al. 2019, §3, rule 3) and ConstNet's b0/b1 (Blumenfeld et al. 2020).
/// <para>Shapes: any → the same; b (1).</para></summary>
public sealed class ScalarBias : nn.Module<Tensor, Tensor>
{
    public Parameter bias
    {
        get => bias_;
        // Module.to() swaps in the moved tensor through this setter: keep the registration in step.
        private set { bias_ = (Parameter)value.DetachFromDisposeScope(); ConditionallyRegisterParameter(nameof(bias), bias_); }
    }
    Parameter bias_ = null!;

    public ScalarBias() : base(nameof(ScalarBias))
    {
        bias = new Parameter(torch.zeros([1]));
    }

    public void reset_parameters()
    {
        using var _ = torch.no_grad();
        bias.zero_();
    }

    public override Tensor forward(Tensor input) => input + bias;

    // Members are registered by name in the constructor; TorchSharp's field scan would register the auto-properties'
    // backing fields a second time (register_module runs it on every child).
    protected override void RegisterComponents() { }
}
