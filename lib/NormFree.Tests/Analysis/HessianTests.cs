using NormFree.Analysis;
using NormFree.Nn;

namespace NormFree.Tests.Analysis;

public class HessianTests
{
    /// <summary>tanh, so every second derivative exists everywhere (finite differences see no kinks).</summary>
    sealed class SmoothActivation() : nn.Module<Tensor, Tensor>(nameof(SmoothActivation))
    {
        public override Tensor forward(Tensor input) => input.tanh();
    }

    /// <summary>Q diag(λ) Qᵀ with a Haar-random orthogonal Q (float64).</summary>
    static Tensor SymmetricWithSpectrum(double[] eigenvalues, Generator gen)
    {
        var n = eigenvalues.Length;
        using var a = torch.randn([n, n], ScalarType.Float64, generator: gen);
        var (q, r) = torch.linalg.qr(a);
        using (q)
        using (r)
        {
            using var lambda = torch.tensor(eigenvalues);
            using var scaled = q * lambda; // Q diag(λ): column j times λ_j
            using var qt = q.t();
            return scaled.matmul(qt);
        }
    }

    [Theory]
    [InlineData(1UL, 10.0)]
    [InlineData(2UL, 10.0)]
    [InlineData(3UL, -12.0)] // dominant eigenvalue negative: the estimate keeps its sign
    public void PowerIterationFindsTheTopEigenvalueOfAQuadraticWithinOnePercent(ulong seed, double top)
    {
        using var gen = new Generator(seed);
        double[] spectrum = [top, 7, 5, -4, 3, 2, 1, 0.5, -0.25, 0.1, 0, 0, 1.5, -2.5, 6];
        using var a = SymmetricWithSpectrum(spectrum, gen);
        using var init = torch.randn([spectrum.Length], ScalarType.Float64, generator: gen);
        using var x = new Parameter(init);
        // L(x) = ½ xᵀ A x: H = A everywhere.
        Tensor Loss()
        {
            using var ax = a.matmul(x);
            using var xax = (x * ax).sum();
            return xax * 0.5;
        }
        var estimate = Hessian.top_eigenvalue([x], [Loss], new PowerIterationOptions { Seed = seed });
        Assert.True(estimate.Converged, $"not converged after {estimate.Iterations}");
        Assert.InRange(estimate.Eigenvalue / top, 0.99, 1.01);
        Assert.Equal(estimate.Iterations, estimate.History.Count);
        Assert.Null(x.grad); // torch.grad leaves .grad alone
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void PowerIterationFindsTheTopEigenvalueOfLinearLeastSquaresWithinOnePercent(ulong seed)
    {
        // X = U diag(s) Wᵀ with U's columns orthonormal and orthogonal to 1 (so the bias decouples). For
        // L = mean((X w + b − y)²) over N samples, H = (2/N) [XᵀX 0; 0 N]: eigenvalues 2 s²/N and 2 (the bias).
        const int n = 64, d = 6;
        double[] s = [16, 12, 10, 6, 3, 1]; // top 2·16²/64 = 8, next 2·12²/64 = 4.5; the bias gives 2
        using var gen = new Generator(seed);
        using var scope = torch.NewDisposeScope();
        var ones = torch.ones([n, 1], ScalarType.Float64);
        var (qFull, _) = torch.linalg.qr(torch.cat([ones, torch.randn([n, d], ScalarType.Float64, generator: gen)], 1));
        var u = qFull.narrow(1, 1, d); // (N, d), columns ⟂ 1
        var (w, _) = torch.linalg.qr(torch.randn([d, d], ScalarType.Float64, generator: gen));
        var x = (u * torch.tensor(s)).matmul(w.t()); // (N, d)
        var y = torch.randn([n, 1], ScalarType.Float64, generator: gen);
        using var model = nn.Linear(d, 1);
        model.to(ScalarType.Float64);
        Tensor Loss()
        {
            using var prediction = model.call(x);
            return F.mse_loss(prediction, y);
        }
        var estimate = Hessian.top_eigenvalue(model, Loss, new PowerIterationOptions { Seed = seed });
        Assert.True(estimate.Converged);
        Assert.InRange(estimate.Eigenvalue / (2 * s[0] * s[0] / n), 0.99, 1.01);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void HessianVectorProductsMatchFiniteDifferencesOfGradients(ulong seed)
    {
        using var gen = new Generator(seed);
        using var model = nn.Sequential(
            new WeightNorm(nn.Conv2d(2, 3, 3, padding: 1), initial_gain: 1.3), new SmoothActivation(), nn.Flatten(), nn.Linear(3 * 4 * 4, 5));
        model.to(ScalarType.Float64);
        using var input = torch.randn([4, 2, 4, 4], ScalarType.Float64, generator: gen);
        using var target = torch.tensor(new long[] { 0, 3, 4, 1 });
        Tensor Loss()
        {
            using var logits = model.call(input);
            return F.cross_entropy(logits, target);
        }
        var parameters = model.parameters().ToList<Tensor>();
        using var scope = torch.NewDisposeScope();
        var v = parameters.Select(p => torch.randn(p.shape, ScalarType.Float64, generator: gen)).ToArray();
        var hv = Hessian.hvp(Loss, parameters, v);

        // Central differences of the gradient along v: (∇L(θ + εv) − ∇L(θ − εv)) / 2ε = H v + O(ε²).
        const double eps = 1e-5;
        Tensor[] GradientAt(double step)
        {
            using (torch.no_grad())
                for (var i = 0; i < parameters.Count; i++) parameters[i].add_(v[i], step);
            var g = torch.autograd.grad([Loss()], parameters.ToArray()).Select(t => t!).ToArray();
            using (torch.no_grad())
                for (var i = 0; i < parameters.Count; i++) parameters[i].add_(v[i], -step);
            return g;
        }
        var plus = GradientAt(eps);
        var minus = GradientAt(-eps);
        for (var i = 0; i < parameters.Count; i++)
        {
            var fd = (plus[i] - minus[i]) / (2 * eps);
            var scale = Math.Max(1e-3, fd.abs().max().ToDouble());
            var error = (hv[i] - fd).abs().max().ToDouble();
            Assert.True(error <= 1e-6 * scale, $"parameter {i}: |Hv − FD| = {error:g3}, scale {scale:g3}");
        }
    }

    [Fact]
    public void ParametersTheLossDoesNotReachGetZeroCurvatureAndShapesAreChecked()
    {
        using var used = new Parameter(torch.tensor(new[] { 1.0, 2.0 }));
        using var unused = new Parameter(torch.ones([3], ScalarType.Float64));
        Tensor Loss()
        {
            using var sq = used * used;
            using var cube = sq * used;
            return cube.sum(); // Σ x³: H = diag(6x)
        }
        using var scope = torch.NewDisposeScope();
        var hv = Hessian.hvp(Loss, [used, unused], [torch.ones([2], ScalarType.Float64), torch.ones([3], ScalarType.Float64)]);
        Assert.Equal(new[] { 6.0, 12.0 }, hv[0].data<double>());
        Assert.Equal(new[] { 0.0, 0.0, 0.0 }, hv[1].data<double>());
        var e = Assert.Throws<ArgumentException>(() => Hessian.hvp(Loss, [used, unused], [torch.ones([2], ScalarType.Float64), torch.ones([2], ScalarType.Float64)]));
        Assert.Contains("[2]", e.Message);
        Assert.Contains("[3]", e.Message);
    }

    [Fact]
    public void TheSeedFixesTheStartVectorAndTheIterationCapIsRespected()
    {
        using var gen = new Generator(5);
        using var a = SymmetricWithSpectrum([3, 2.9, 1, 0.5], gen); // tiny gap: slow convergence
        using var x = new Parameter(torch.zeros([4], ScalarType.Float64));
        Tensor Loss()
        {
            using var ax = a.matmul(x);
            using var xax = (x * ax).sum();
            return xax * 0.5;
        }
        var options = new PowerIterationOptions { MaxIterations = 5, Tolerance = 0, Seed = 11 };
        var first = Hessian.top_eigenvalue([x], [Loss], options);
        var second = Hessian.top_eigenvalue([x], [Loss], options);
        Assert.Equal(first.History, second.History);
        Assert.Equal(5, first.Iterations);
        Assert.False(first.Converged);
        var other = Hessian.top_eigenvalue([x], [Loss], options with { Seed = 12 });
        Assert.NotEqual(first.History, other.History);
    }
}
