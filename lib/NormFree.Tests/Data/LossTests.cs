using NormFree.Data;
using NormFree.Nn;

namespace NormFree.Tests.Data;

public class LossTests
{
    /// <summary>Cross-entropy with label smoothing ε over K classes written out (torch's definition): the target
    /// distribution is (1 − ε)·onehot(y) + ε/K, so loss = −(1 − ε)·log p_y − (ε/K)·Σ_k log p_k, averaged over the batch.</summary>
    static double HandCrossEntropy(double[][] logits, long[] targets, double eps)
    {
        var total = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            var z = logits[i];
            var max = z.Max();
            var log_sum = max + Math.Log(z.Sum(v => Math.Exp(v - max)));
            var log_p = z.Select(v => v - log_sum).ToArray();
            total += -(1 - eps) * log_p[targets[i]] - eps / z.Length * log_p.Sum();
        }
        return total / logits.Length;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.3)]
    public void LabelSmoothingMatchesHandComputation(double eps)
    {
        double[][] z = [[1.0, 2.0, 3.0, -1.0], [0.5, -0.5, 0.0, 4.0], [2.0, 2.0, 2.0, 2.0]];
        long[] y = [0, 3, 1];
        using var logits = torch.tensor(z.SelectMany(r => r).ToArray(), [3, 4]);
        using var targets = torch.tensor(y);
        using var loss = F.cross_entropy(logits, targets, label_smoothing: eps);
        Assert.Equal(HandCrossEntropy(z, y, eps), loss.ToDouble(), 1e-12);
    }

    [Fact]
    public void MixupMixesInputsAndLossesWithOneLambda()
    {
        using var x = torch.randn([8, 3], ScalarType.Float64);
        using var y = torch.tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1 });
        using var g = new Generator(7);
        var (mixed, y_a, y_b, lam) = Mixup.mix(x, y, alpha: 0.4, g);
        using (mixed)
        using (y_b)
        {
            Assert.InRange(lam, 0, 1);
            Assert.Same(y, y_a);
            // Recover π from the permuted labels is ambiguous; check x̃ − λx = (1 − λ)·x[π] row by row instead.
            using var rest = mixed.sub(x.mul(lam));
            for (var i = 0; i < 8; i++)
            {
                using var row = rest[i];
                var matches = Enumerable.Range(0, 8).Count(j =>
                {
                    using var xj = x[j];
                    using var scaled = xj.mul(1 - lam);
                    return scaled.allclose(row, 1e-9, 1e-12) && y_b.data<long>()[i] == y.data<long>()[j];
                });
                Assert.Equal(1, matches);
            }
            using var logits = torch.randn([8, 3], ScalarType.Float64);
            using var loss = Mixup.loss(logits, y_a, y_b, lam);
            using var la = F.cross_entropy(logits, y_a);
            using var lb = F.cross_entropy(logits, y_b);
            Assert.Equal(lam * la.ToDouble() + (1 - lam) * lb.ToDouble(), loss.ToDouble(), 1e-12);
        }
    }

    [Fact]
    public void MixupLambdaIsBetaDistributed()
    {
        using var g = new Generator(123);
        var draws = Enumerable.Range(0, 4000).Select(_ => Mixup.sample_lambda(1.0, g)).ToArray();
        // Beta(1, 1) is uniform on [0, 1]: mean 1/2, variance 1/12. Standard errors: 0.0046 and 0.0014.
        Assert.InRange(draws.Average(), 0.48, 0.52);
        var mean = draws.Average();
        Assert.InRange(draws.Average(v => (v - mean) * (v - mean)), 1 / 12.0 - 0.006, 1 / 12.0 + 0.006);
        var small = Enumerable.Range(0, 2000).Select(_ => Mixup.sample_lambda(0.2, g)).ToArray();
        // Beta(0.2, 0.2) piles up near 0 and 1: P(λ < 0.1 or λ > 0.9) ≈ 0.69.
        Assert.InRange(small.Count(v => v < 0.1 || v > 0.9) / 2000.0, 0.62, 0.76);
        Assert.Equal(1, Mixup.sample_lambda(0, g));
    }
}
