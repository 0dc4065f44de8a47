using NormFree.Nn;

namespace NormFree.Methods.Peers;

/// <summary>y = γ · φ(x): an activation times the constant γ that makes γ·φ(z) have unit variance for z ~ N(0, 1)
/// (Brock, De &amp; Smith, ICLR 2021, NF-ResNets: the nonlinearity-specific gain γ), so that a layer fed unit-variance pre-activations passes on
/// unit-variance activations.
/// <para>Shapes: any → the same.</para></summary>
public sealed class ScaledActivation : nn.Module<Tensor, Tensor>
{
    /// <summary>γ for ReLU: for z ~ N(0, 1), E[relu z] = 1/√(2π) and E[(relu z)²] = 1/2, so
    /// Var(relu z) = (1 − 1/π)/2 and γ = √(2 / (1 − 1/π)) ≈ 1.71286.
    /// NOTE: the reference code uses 1.7139588594, an estimate by sampling; the two differ by 0.07 %.</summary>
    public static readonly double ReluGain = Math.Sqrt(2 / (1 - 1 / Math.PI));

    public nn.Module<Tensor, Tensor> activation { get; }
    public double gain { get; }

    public ScaledActivation(nn.Module<Tensor, Tensor> activation, double gain) : base(nameof(ScaledActivation))
    {
        if (!(gain > 0) || double.IsInfinity(gain)) throw new ArgumentOutOfRangeException(nameof(gain), gain, "the gain must be positive and finite");
        this.activation = activation;
        register_module("activation", this.activation);
        this.gain = gain;
    }

    /// <summary>γ · relu(x) with γ = <see cref="ReluGain"/>.</summary>
    public static ScaledActivation relu() => new(nn.ReLU(), ReluGain);

    public override Tensor forward(Tensor input)
    {
        using var a = activation.call(input);
        return a * gain;
    }

    // Every member is registered by name in the constructor; skip TorchSharp's field scan (run when a parent registers
    // this module), which would register the auto-properties' backing fields a second time.
    protected override void RegisterComponents() { }
}
