using NormFree.Nn;

namespace NormFree.Data;

/// <summary>mixup (Zhang, Cissé, Dauphin, Lopez-Paz 2018, "mixup: Beyond Empirical Risk Minimization", §2, as in the
/// authors' CIFAR code): draw λ ~ Beta(α, α) once per batch and a random permutation π of the batch, train on
/// <code>x̃ = λ·x + (1 − λ)·x[π],   loss = λ·CE(f(x̃), y) + (1 − λ)·CE(f(x̃), y[π]).</code>
/// α ≤ 0 turns it off (λ = 1), as in the authors' code.</summary>
public static class Mixup
{
    /// <summary>λ ~ Beta(α, α), drawn from <paramref name="generator"/> (the first coordinate of a Dirichlet(α, α)).</summary>
    public static double sample_lambda(double alpha, Generator generator)
    {
        if (!(alpha > 0)) return 1;
        using var concentration = torch.tensor(new[] { alpha, alpha });
        using var draw = torch._sample_dirichlet(concentration, generator);
        using var first = draw[0];
        return first.item<double>();
    }

    /// <summary>Mixes a batch: x (B, ...) → (x̃, y, y[π], λ). x̃ and y[π] are new tensors.</summary>
    public static (Tensor input, Tensor target_a, Tensor target_b, double lam) mix(Tensor x, Tensor y, double alpha, Generator generator)
    {
        var B = x.size(0);
        if (y.dim() != 1 || y.size(0) != B) throw new ArgumentException($"targets must be ({B}), got shape [{string.Join(", ", y.shape)}]", nameof(y));
        var lam = sample_lambda(alpha, generator);
        using var scope = torch.NewDisposeScope();
        var perm = torch.randperm(B, generator: generator).to(x.device);
        var mixed = x.mul(lam).add_(x.index_select(0, perm), 1 - lam);
        var y_b = y.index_select(0, perm);
        return (mixed.MoveToOuterDisposeScope(), y, y_b.MoveToOuterDisposeScope(), lam);
    }

    /// <summary>λ·CE(logits, y_a) + (1 − λ)·CE(logits, y_b), each the mean over the batch (with optional label smoothing).</summary>
    public static Tensor loss(Tensor logits, Tensor target_a, Tensor target_b, double lam, double label_smoothing = 0)
    {
        var a = F.cross_entropy(logits, target_a, label_smoothing: label_smoothing);
        if (lam == 1) return a;
        using var b = F.cross_entropy(logits, target_b, label_smoothing: label_smoothing);
        using (a) return a.mul(lam).add_(b, 1 - lam);
    }
}
