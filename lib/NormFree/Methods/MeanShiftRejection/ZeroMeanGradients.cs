using NormFree.Nn;
using NormFree.Optim;
using NormFree.Torch;

namespace NormFree.Methods.MeanShiftRejection;

/// <summary>CZMG (Ruff et al. 2019, §3.3) as a step between backward and the optimizer step, outside the graph:
/// for every kernel V it holds, ∇V ← ∇V − z · E(∇V: spatial dims) (<see cref="msr.zero_mean_gradient"/>).
/// Either register it as an optimizer's gradient hook (<c>optimizer.gradient_hooks.Add(czmg)</c>: the optimizer runs
/// it inside <c>step()</c>, after backward and before the update) or call <see cref="apply()"/> after
/// <c>loss.backward()</c> and before <c>optimizer.step()</c>. A kernel without a gradient is skipped; z = 0 leaves
/// every gradient unchanged (CZMI alone).</summary>
public sealed class ZeroMeanGradients : IGradientHook
{
    readonly HashSet<Tensor> kernelSet;

    /// <summary>The spatial kernels V (C_out, C_in, k, k) whose gradients are adjusted.</summary>
    public IReadOnlyList<Parameter> kernels { get; }

    /// <summary>The zmg factor z in [0, 1].</summary>
    public double z { get; }

    public ZeroMeanGradients(IEnumerable<Parameter> kernels, double z)
    {
        msr.CheckZmg(z);
        this.kernels = kernels.ToList();
        foreach (var v in this.kernels)
            if (v.dim() != 4 || v.size(2) * v.size(3) < 2)
                throw new ArgumentException($"CZMG applies to spatial conv kernels (C_out, C_in, k, k) with k > 1, got shape {Shapes.Format(v.shape)}", nameof(kernels));
        kernelSet = new HashSet<Tensor>(this.kernels, ReferenceEqualityComparer.Instance);
        this.z = z;
    }

    /// <summary>Replaces each kernel's gradient by its CZMG version, in place.</summary>
    public void apply()
    {
        if (z == 0) return;
        using var _ = torch.no_grad();
        foreach (var v in kernels)
        {
            using var grad = v.grad;
            if (grad is not null) adjust(grad);
        }
    }

    /// <summary>The optimizer's gradient hook (<see cref="Optimizer.gradient_hooks"/> or a group's hooks): adjusts the
    /// gradients of this instance's kernels among <paramref name="parameters"/> and leaves every other gradient alone.</summary>
    public void apply(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> grads)
    {
        if (z == 0) return;
        for (var i = 0; i < parameters.Count; i++)
            if (kernelSet.Contains(parameters[i])) adjust(grads[i]);
    }

    void adjust(Tensor grad)
    {
        using var adjusted = msr.zero_mean_gradient(grad, z);
        grad.copy_(adjusted);
    }
}
