
namespace NormFree.Analysis;

/// <summary>Settings of <see cref="PowerIteration"/>: stop after <see cref="MaxIterations"/> products or once the
/// Rayleigh quotient changes by at most <see cref="Tolerance"/> relative to its value; the start vector is drawn
/// from N(0, 1) with a generator seeded by <see cref="Seed"/>, so the estimate is reproducible.
/// Arpit et al. (2019) run a fixed 40 iterations (official code, <c>hessian_spectral_norm_approx</c>, M = 40):
/// <c>new PowerIterationOptions { MaxIterations = 40, Tolerance = 0 }</c>.</summary>
public sealed record PowerIterationOptions
{
    public int MaxIterations { get; init; } = 100;
    public double Tolerance { get; init; } = 1e-4;
    public ulong Seed { get; init; } = 0;
}

/// <summary>The estimate of the dominant eigenvalue: its value (with sign), the products used, whether the
/// tolerance was met, and the Rayleigh quotient after each product.</summary>
public sealed record EigenEstimate(double Eigenvalue, int Iterations, bool Converged, IReadOnlyList<double> History);

/// <summary>Power iteration (von Mises) for the eigenvalue of largest magnitude of a symmetric linear operator A
/// acting on a vector stored as a list of tensors (e.g. one tensor per model parameter):
/// <code>
///   v₀ ~ N(0, I), v₀ ← v₀/‖v₀‖
///   w = A vₖ,   λₖ = ⟨vₖ, w⟩ (Rayleigh quotient),   vₖ₊₁ = w/‖w‖
/// </code>
/// until |λₖ − λₖ₋₁| ≤ tol·|λₖ|. λₖ converges to the eigenvalue of largest |λ| with its sign, at the rate
/// (λ₂/λ₁)^(2k) for a symmetric A. Inner products are accumulated in float64.</summary>
public static class PowerIteration
{
    /// <param name="apply">v ↦ A v (same shapes as v); called once per iteration.</param>
    /// <param name="like">Tensors giving the shapes, dtypes and devices of the vector.</param>
    public static EigenEstimate top_eigenvalue(Func<IReadOnlyList<Tensor>, Tensor[]> apply, IReadOnlyList<Tensor> like, PowerIterationOptions? options = null)
    {
        options ??= new PowerIterationOptions();
        if (options.MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(options), options.MaxIterations, "power iteration needs at least one iteration");
        if (like.Count == 0) throw new ArgumentException("power iteration needs a non-empty vector", nameof(like));
        var v = StartVector(like, options.Seed);
        var history = new List<double>();
        try
        {
            for (var k = 1; k <= options.MaxIterations; k++)
            {
                using var scope = torch.NewDisposeScope();
                var w = apply(v);
                if (w.Length != v.Length) throw new InvalidOperationException($"the operator returned {w.Length} tensors for a vector of {v.Length}");
                var lambda = dot(v, w);
                history.Add(lambda);
                var norm = Math.Sqrt(dot(w, w));
                // A v = 0: v lies in the null space, and λ = 0 is exact only if A = 0 there; nothing more to learn.
                if (norm == 0) return new EigenEstimate(lambda, k, true, history);
                var converged = k > 1 && Math.Abs(lambda - history[^2]) <= options.Tolerance * Math.Abs(lambda);
                var next = w.Select(t => (t / norm).MoveToOuterDisposeScope()).ToArray();
                foreach (var t in v) t.Dispose();
                v = next;
                if (converged) return new EigenEstimate(lambda, k, true, history);
            }
            return new EigenEstimate(history[^1], options.MaxIterations, false, history);
        }
        finally
        {
            foreach (var t in v) t.Dispose();
        }
    }

    /// <summary>⟨a, b⟩ = Σᵢ Σ aᵢ ⊙ bᵢ over the list, in float64.</summary>
    public static double dot(IReadOnlyList<Tensor> a, IReadOnlyList<Tensor> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"vectors of {a.Count} and {b.Count} tensors");
        using var _ = torch.no_grad();
        var sum = 0.0;
        for (var i = 0; i < a.Count; i++)
        {
            using var ai = a[i].to(ScalarType.Float64);
            using var bi = b[i].to(ScalarType.Float64);
            using var product = ai * bi;
            using var s = product.sum();
            sum += s.item_double();
        }
        return sum;
    }

    /// <summary>A unit-norm N(0, I) direction shaped like <paramref name="like"/>, drawn on the CPU from a generator
    /// seeded with <paramref name="seed"/> (so it does not depend on the device or on the global generator).</summary>
    static Tensor[] StartVector(IReadOnlyList<Tensor> like, ulong seed)
    {
        using var generator = new Generator(seed);
        using var scope = torch.NewDisposeScope();
        var draws = like.Select(t => torch.randn(t.shape, ScalarType.Float64, torch.CPU, generator: generator)).ToArray();
        var norm = Math.Sqrt(dot(draws, draws));
        return like.Select((t, i) => (draws[i] / norm).to(t.dtype, t.device).MoveToOuterDisposeScope()).ToArray();
    }
}
