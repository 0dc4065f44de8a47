using NormFree.Torch;

namespace NormFree.Tests;

/// <summary>Gradients from backward against central finite differences (use float64 tensors).</summary>
static class GradCheck
{
    /// <summary>Runs <paramref name="loss"/> once with backward, then compares every element's gradient of every
    /// tensor in <paramref name="inputs"/> with (L(θ + h) − L(θ − h)) / 2h to <paramref name="precision"/> decimals.
    /// Each element is restored after its probe.</summary>
    public static void AssertMatchesFiniteDifferences(Func<Tensor> loss, IEnumerable<Tensor> inputs, int precision, double h = 1e-6)
    {
        using (var l = loss()) l.backward();
        foreach (var p in inputs)
        {
            using var grad = p.grad!;
            var analytic = grad.data<double>();
            using var flat = p.view(-1);
            for (var i = 0; i < analytic.Length; i++)
            {
                double At(double delta)
                {
                    using (torch.no_grad())
                    using (var e = flat[i]) e.add_(delta);
                    using var l = loss();
                    return l.item();
                }
                var plus = At(h);
                var minus = At(-2 * h);
                At(h);
                Assert.Equal((plus - minus) / (2 * h), analytic[i], precision);
            }
        }
    }
}
