using NormFree.Nn;

namespace NormFree.Methods.MeanShiftRejection;

/// <summary>CZMG (Ruff et al. 2019, §3.3) as a step between backward and the optimizer step, outside the graph:
/// for every kernel V it holds, ∇V ← ∇V − z · E(∇V: spatial dims) (<see cref="msr.zero_mean_gradient"/>).
/// Either hand it to the trainer as a gradient hook (it runs it after backward and before the update, as
/// <see cref="Optim.GradientHooks.apply"/> does) or call <see cref="apply()"/> after <c>loss.backward()</c> and before
/// <c>optimizer.step()</c>. A kernel without a gradient is skipped; z = 0 leaves
/// every gradient unchanged (CZMI alone).</summary>
public sealed class ZeroMeanGradients : KernelGradientHook
{
    /// <summary>The zmg factor z in [0, 1].</summary>
    public double z { get; }

    /// <param name="kernels">Spatial conv kernels V (C_out, C_in, k, k), k &gt; 1.</param>
    public ZeroMeanGradients(IEnumerable<Parameter> kernels, double z) : base(kernels)
    {
        msr.CheckZmg(z);
        foreach (var v in this.kernels)
            if (v.dim() != 4 || v.size(2) * v.size(3) < 2)
                throw new ArgumentException($"CZMG applies to spatial conv kernels (C_out, C_in, k, k) with k > 1, got shape {Shapes.Format(v.shape)}", nameof(kernels));
        this.z = z;
    }

    /// <summary>Replaces each kernel's gradient by its CZMG version, in place.</summary>
    public void apply()
    {
        using var _ = torch.no_grad();
        foreach (var v in kernels)
        {
            using var grad = v.grad;
            if (grad is not null) adjust(v, grad);
        }
    }

    protected override void adjust(Tensor kernel, Tensor grad)
    {
        if (z == 0) return;
        using var adjusted = msr.zero_mean_gradient(grad, z);
        grad.copy_(adjusted);
    }
}
