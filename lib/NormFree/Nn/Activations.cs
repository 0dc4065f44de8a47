using NormFree.Torch;

namespace NormFree.Nn;

/// <summary>ReLU(x) = max(0, x). Shapes: any → the same.</summary>
public sealed class ReLU : Module
{
    public override Tensor forward(Tensor input) => F.relu(input);
}

/// <summary>LeakyReLU(x) = x for x ≥ 0, negative_slope·x otherwise (Maas et al. 2013). Shapes: any → the same.</summary>
public sealed class LeakyReLU(double negative_slope = 0.01) : Module
{
    public double negative_slope { get; } = negative_slope;

    public override Tensor forward(Tensor input) => F.leaky_relu(input, negative_slope);

    protected override string extra_repr() => $"negative_slope={negative_slope}";
}

/// <summary>ELU(x) = x for x &gt; 0, α·(eˣ − 1) otherwise (Clevert et al. 2016). Shapes: any → the same.</summary>
public sealed class ELU(double alpha = 1.0) : Module
{
    public double alpha { get; } = alpha;

    public override Tensor forward(Tensor input) => F.elu(input, alpha);

    protected override string extra_repr() => $"alpha={alpha}";
}
