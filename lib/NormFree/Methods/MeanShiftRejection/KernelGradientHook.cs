using NormFree.Nn;
using NormFree.Optim;

namespace NormFree.Methods.MeanShiftRejection;

/// <summary>A gradient hook that edits the gradients of a chosen set of conv kernels (CZMG, LUMA) and leaves every
/// other gradient alone. The kernels are matched by reference: make the hook once the model is on its device (moving
/// a TorchSharp module replaces its parameters).</summary>
public abstract class KernelGradientHook : IGradientHook
{
    readonly HashSet<Tensor> kernelSet;

    /// <summary>The kernels whose gradients this hook edits.</summary>
    public IReadOnlyList<Parameter> kernels { get; }

    protected KernelGradientHook(IEnumerable<Parameter> kernels)
    {
        this.kernels = kernels.ToList();
        kernelSet = new HashSet<Tensor>(this.kernels, ReferenceEqualityComparer.Instance);
    }

    public void apply(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> grads)
    {
        for (var i = 0; i < parameters.Count; i++)
            if (kernelSet.Contains(parameters[i])) adjust(parameters[i], grads[i]);
    }

    /// <summary>Edits <paramref name="grad"/>, the gradient of <paramref name="kernel"/>, in place (under no_grad).</summary>
    protected abstract void adjust(Tensor kernel, Tensor grad);
}
