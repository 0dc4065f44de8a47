using NormFree.Torch;

namespace NormFree.Nn;

/// <summary>A leaf tensor owned by a <see cref="Module"/>: it requires grad by default and belongs to no dispose
/// scope, so a training step's scope never frees the weights.</summary>
public sealed class Parameter : Tensor
{
    /// <summary>Wraps <paramref name="data"/>'s storage (the caller keeps ownership of <paramref name="data"/>).</summary>
    public Parameter(Tensor data, bool requires_grad = true) : base(ShareDetached(data))
    {
        DetachFromDisposeScope();
        this.requires_grad = requires_grad;
    }

    static IntPtr ShareDetached(Tensor data)
    {
        using var leaf = data.detach();
        return Native.nf_tensor_share(leaf.Handle);
    }
}
