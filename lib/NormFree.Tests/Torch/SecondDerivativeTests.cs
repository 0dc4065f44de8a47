namespace NormFree.Tests.Torch;

/// <summary>Second derivatives through <c>torch.autograd.grad(create_graph: true)</c>, which the curvature analyses
/// (Hessian-vector products, power iteration) rest on, against a closed-form Hessian and against finite differences
/// of the gradient.</summary>
public class SecondDerivativeTests
{
    const int N = 5;

    /// <summary>f(x) = ½ xᵀAx + ¼ Σ xᵢ⁴ + (wᵀx)³/6, whose Hessian is ½(A + Aᵀ) + diag(3x²) + (wᵀx)·w wᵀ.</summary>
    static Tensor Function(Tensor x, Tensor a, Tensor w)
    {
        using var ax = a.matmul(x);
        using var xax = (x * ax).sum();
        using var quadratic = xax * 0.5;
        using var x4 = x.pow(4);
        using var x4sum = x4.sum();
        using var quartic = x4sum * 0.25;
        using var wx = (w * x).sum();
        using var wx3 = wx.pow(3);
        using var cubic = wx3 / 6;
        using var partial = quadratic + quartic;
        return partial + cubic;
    }

    static double[,] AnalyticHessian(double[] x, double[] a, double[] w)
    {
        var wx = 0.0;
        for (var i = 0; i < N; i++) wx += w[i] * x[i];
        var h = new double[N, N];
        for (var i = 0; i < N; i++)
            for (var j = 0; j < N; j++)
                h[i, j] = 0.5 * (a[i * N + j] + a[j * N + i]) + (i == j ? 3 * x[i] * x[i] : 0) + wx * w[i] * w[j];
        return h;
    }

    static double[] Values(Tensor t) => t.data<double>().ToArray();

    [Theory]
    [MemberData(nameof(Seeds.Three), MemberType = typeof(Seeds))]
    public void HessianVectorProductsMatchTheAnalyticHessian(ulong seed)
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(seed);
        var x = torch.randn([N], float64, generator: g).requires_grad_();
        var a = torch.randn([N, N], float64, generator: g);
        var w = torch.randn([N], float64, generator: g);
        var expected = AnalyticHessian(Values(x.detach()), Values(a), Values(w));

        var f = Function(x, a, w);
        var gradient = torch.autograd.grad([f], [x], retain_graph: true, create_graph: true)[0];
        Assert.True(gradient.requires_grad, "with create_graph the gradient must itself be differentiable");
        for (var j = 0; j < N; j++)
        {
            // H·e_j is column j of the Hessian.
            var e = torch.zeros([N], float64);
            using (torch.no_grad()) e[j].fill_(1);
            var hv = Values(torch.autograd.grad([(gradient * e).sum()], [x], retain_graph: true)[0]);
            for (var i = 0; i < N; i++)
                Assert.True(Math.Abs(hv[i] - expected[i, j]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i, j])),
                    $"H[{i},{j}]: autograd {hv[i]}, analytic {expected[i, j]}");
        }
        // A random direction, once more: Hv = Σ_j H[:, j] v_j.
        var v = torch.randn([N], float64, generator: g);
        var vd = Values(v);
        var product = Values(torch.autograd.grad([(gradient * v).sum()], [x])[0]);
        for (var i = 0; i < N; i++)
        {
            var want = 0.0;
            for (var j = 0; j < N; j++) want += expected[i, j] * vd[j];
            Assert.True(Math.Abs(want - product[i]) <= 1e-10, $"(Hv)[{i}]: autograd {product[i]}, analytic {want}");
        }
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void DoubleBackwardThroughAConvMatchesFiniteDifferencesOfTheGradient(ulong seed)
    {
        // The derivative of w ↦ ∇_w L(w) in a random direction is the Hessian-vector product; check it against
        // central differences of the gradient for L = Σ tanh(conv(x, w))² (smooth, so second derivatives exist).
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(seed);
        var input = torch.randn([2, 2, 5, 5], float64, generator: g);
        var weight = torch.randn([3, 2, 3, 3], float64, generator: g);
        GradCheck.Verify(p =>
        {
            var loss = F.conv2d(input, p[0], null, strides: [2], padding: [1]).tanh().pow(2).sum();
            return torch.autograd.grad([loss], [p[0]], retain_graph: true, create_graph: true)[0];
        }, [weight], seed);
    }
}
