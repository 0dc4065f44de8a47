namespace NormFree.Nn;

/// <summary>y = x + b with one learnable scalar b (init 0): FixUp's bias before each conv, linear and activation
/// (Zhang et al. 2019, §3, rule 3) and ConstNet's b0/b1 (Blumenfeld et al. 2020).
/// <para>Shapes: any → the same; b (1).</para></summary>
public sealed class ScalarBias : nn.Module<Tensor, Tensor>
{
    public Parameter bias { get; private set; }

    public ScalarBias() : base(nameof(ScalarBias))
    {
        bias = new Parameter(torch.zeros([1]));
        register_parameter("bias", bias);
    }

    public void reset_parameters()
    {
        using var _ = torch.no_grad();
        bias.zero_();
    }

    public override Tensor forward(Tensor input) => input + bias;
}
