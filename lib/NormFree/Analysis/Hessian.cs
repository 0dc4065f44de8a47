using NormFree.Nn;

namespace NormFree.Analysis;

/// <summary>Curvature of a training loss L(θ) through Hessian-vector products, never forming the Hessian
/// (Pearlmutter 1994): H v = ∇θ ⟨∇θ L(θ), v⟩, one backward pass with <c>create_graph: true</c> for the gradient and
/// a second one through it (double backward).
/// <para>Top eigenvalue: <see cref="PowerIteration"/> on v ↦ H v. With several batches H is the Hessian of the mean
/// loss over them, as in Arpit et al. (2019), whose official code averages H v over the first 10% of the training
/// batches and runs 40 iterations. The model runs in whatever train/eval mode it is in (the paper: train mode).</para></summary>
public static class Hessian
{
    /// <summary>H v for the loss computed by <paramref name="loss"/> (called once; it runs the forward pass),
    /// with respect to <paramref name="parameters"/>. v has one tensor per parameter, same shapes. A parameter the
    /// loss does not reach gets a zero block.</summary>
    public static Tensor[] hvp(Func<Tensor> loss, IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> v)
    {
        if (v.Count != parameters.Count) throw new ArgumentException($"v has {v.Count} tensors for {parameters.Count} parameters", nameof(v));
        for (var i = 0; i < v.Count; i++)
            if (!v[i].shape.SequenceEqual(parameters[i].shape))
                throw new ArgumentException($"v[{i}] has shape [{string.Join(", ", v[i].shape)}], parameter {i} has [{string.Join(", ", parameters[i].shape)}]", nameof(v));
        // autograd.grad has no native catch (a libtorch error inside it aborts the process): check here what it refuses.
        for (var i = 0; i < parameters.Count; i++)
            if (!parameters[i].requires_grad)
                throw new ArgumentException($"parameter {i} (shape [{string.Join(", ", parameters[i].shape)}]) does not require a gradient", nameof(parameters));
        using var scope = torch.NewDisposeScope();
        using var _ = torch.enable_grad();
        var l = loss();
        if (l.numel() != 1) throw new ArgumentException($"the loss must be a scalar, got shape [{string.Join(", ", l.shape)}]", nameof(loss));
        var hv = new Tensor?[parameters.Count];
        if (l.requires_grad)
        {
            // ∇L, differentiable. TorchSharp's create_graph does not imply retain_graph as PyTorch's does: ask for both.
            var grads = torch.autograd.grad([l], parameters.ToArray(), retain_graph: true, create_graph: true, allow_unused: true);
            Tensor? gv = null; // ⟨∇L, v⟩
            for (var i = 0; i < grads.Count; i++)
            {
                if (grads[i].IsInvalid) continue; // unused parameter: undefined gradient
                if (grads[i] is not { requires_grad: true } g) continue; // ∇L constant in θ: no curvature through it
                var term = (g * v[i]).sum();
                gv = gv is null ? term : gv + term;
            }
            if (gv is not null)
            {
                var second = torch.autograd.grad([gv], parameters.ToArray(), allow_unused: true); // ∇⟨∇L, v⟩ = H v
                for (var i = 0; i < second.Count; i++) hv[i] = second[i].IsInvalid ? null : second[i];
            }
        }
        return parameters.Select((p, i) => (hv[i] is { } h ? h.detach() : torch.zeros_like(p)).MoveToOuterDisposeScope()).ToArray();
    }

    /// <summary>The dominant eigenvalue of the Hessian of the mean of the given batch losses with respect to
    /// <paramref name="parameters"/>; each product runs every loss closure once (forward + double backward).</summary>
    public static EigenEstimate top_eigenvalue(IReadOnlyList<Tensor> parameters, IReadOnlyList<Func<Tensor>> losses, PowerIterationOptions? options = null)
    {
        if (losses.Count == 0) throw new ArgumentException("need at least one batch loss", nameof(losses));
        return PowerIteration.top_eigenvalue(v =>
        {
            var sum = hvp(losses[0], parameters, v);
            foreach (var loss in losses.Skip(1))
            {
                var more = hvp(loss, parameters, v);
                for (var i = 0; i < sum.Length; i++) sum[i].add_(more[i]);
            }
            return sum.Select(t => t.div_(losses.Count)).ToArray();
        }, parameters, options);
    }

    /// <summary>The dominant eigenvalue of the Hessian of one batch's loss with respect to every trainable parameter of
    /// <paramref name="model"/>.</summary>
    public static EigenEstimate top_eigenvalue(nn.Module<Tensor, Tensor> model, Func<Tensor> loss, PowerIterationOptions? options = null) =>
        top_eigenvalue(model.parameters().Where(p => p.requires_grad).ToList<Tensor>(), [loss], options);
}
