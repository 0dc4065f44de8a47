using NormFree.Torch;

namespace NormFree.Nn;

/// <summary>Dropout (Srivastava et al. 2014), as torch.nn.Dropout: in training mode each element is zeroed with
/// probability p and the survivors are scaled by 1/(1 − p), so E[y] = x; identity in eval mode.
/// <para>Shapes: any → the same.</para></summary>
public sealed class Dropout : Module
{
    public double p { get; }

    public Dropout(double p = 0.5)
    {
        if (p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1]");
        this.p = p;
    }

    public override Tensor forward(Tensor input) => F.dropout(input, p, training);

    protected override string extra_repr() => $"p={p}";
}
