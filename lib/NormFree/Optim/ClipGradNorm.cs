using NormFree.Torch;

namespace NormFree.Optim;

/// <summary>Global-norm gradient clipping, as torch.nn.utils.clip_grad_norm_: with the total norm
/// ‖g‖ = (Σ_p ‖g_p‖_q^q)^{1/q} over every gradient the hook sees, all gradients are scaled by
/// min(1, max_norm / (‖g‖ + 1e-6)). Put it in an optimizer's <c>gradient_hooks</c> to clip over all parameters, or in
/// a group's <c>hooks</c> to clip that group alone.</summary>
public sealed class ClipGradNorm : IGradientHook
{
    /// <summary>torch's clip_grad_norm_ adds this to the norm so a zero gradient does not divide by zero.</summary>
    const double Eps = 1e-6;

    public double max_norm { get; }
    public double norm_type { get; }

    /// <summary>The total norm before clipping at the last step (NaN before the first).</summary>
    public double last_total_norm { get; private set; } = double.NaN;

    public ClipGradNorm(double max_norm, double norm_type = 2)
    {
        if (!(max_norm > 0)) throw new ArgumentOutOfRangeException(nameof(max_norm), max_norm, "max_norm must be positive");
        if (!(norm_type > 0)) throw new ArgumentOutOfRangeException(nameof(norm_type), norm_type, "norm_type must be positive");
        this.max_norm = max_norm;
        this.norm_type = norm_type;
    }

    public void apply(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> grads)
    {
        if (grads.Count == 0) return;
        // The norm of the per-tensor norms is the norm over all elements (torch does the same).
        var norms = grads.Select(g => g.norm(norm_type)).ToArray();
        using var stacked = torch.stack(norms);
        using var total = stacked.norm(norm_type);
        last_total_norm = total.item();
        var coefficient = max_norm / (last_total_norm + Eps);
        if (coefficient >= 1) return;
        foreach (var g in grads) g.mul_(coefficient);
    }
}
