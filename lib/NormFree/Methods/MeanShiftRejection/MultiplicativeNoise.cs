using NormFree.Nn;

namespace NormFree.Methods.MeanShiftRejection;

/// <summary>Multiplicative noise injection (Ruff et al. 2019, §4.4): in training mode y = x ⊙ u with
/// u ~ U(1 − a, 1 + a) per sample and channel, constant over positions, so E[y] = x; the identity in eval mode.
/// The paper puts it at the input of every residual unit (<see cref="Models.ResNetParts.BlockInput"/>), where
/// both the branch and the shortcut see it, with a = 0.1, as a stand-in for the minibatch noise of BatchNorm.
/// <para>Shapes: (B, C, ...) → the same.</para></summary>
public sealed class MultiplicativeNoise : nn.Module<Tensor, Tensor>
{
    /// <summary>a: the half-width of the uniform factor around 1.</summary>
    public double amplitude { get; }

    public MultiplicativeNoise(double amplitude = 0.1) : base(nameof(MultiplicativeNoise))
    {
        msr.CheckAmplitude(amplitude);
        this.amplitude = amplitude;
    }

    public override Tensor forward(Tensor input) => msr.multiplicative_noise(input, amplitude, training);

}
