using NormFree.Nn;

namespace NormFree.Methods.MeanShiftRejection;

/// <summary>LUMA (Ruff et al. 2019, §3.4) as a gradient hook: adds ∂/∂V λ·Σ_f (‖V_f‖₂ − 1)²
/// (<see cref="msr.luma_gradient"/>) to the gradient of each of its kernels between backward and the optimizer step. For SGD this is the
/// same update as adding <see cref="msr.luma"/> to the loss, for any trainer whose loss is the task loss alone.
/// Register it before <see cref="ZeroMeanGradients"/>, so CZMG sees the gradient of the whole loss as in the paper
/// (the LUMA part runs along V_f and CZMG leaves it unchanged on the isocline anyway).
/// <para>NOTE: the step losses a trainer records are then the task loss without the LUMA term (0 at init).</para></summary>
public sealed class LumaGradient : KernelGradientHook
{
    /// <summary>λ, the loss weight (5e-4 in the paper).</summary>
    public double lambda { get; }

    /// <param name="kernels">The conv kernels V whose magnitudes are anchored at 1.</param>
    public LumaGradient(IEnumerable<Parameter> kernels, double lambda) : base(kernels)
    {
        if (lambda < 0) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "the LUMA weight must be ≥ 0");
        this.lambda = lambda;
    }

    protected override void adjust(Tensor kernel, Tensor grad)
    {
        if (lambda == 0) return;
        using var pull = msr.luma_gradient(kernel, lambda);
        grad.add_(pull);
    }
}
