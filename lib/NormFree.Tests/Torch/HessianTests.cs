using NormFree.Nn;
using NormFree.Torch;

namespace NormFree.Tests.Torch;

/// <summary>Second derivatives through torch.grad(create_graph: true) (issue 2, acceptance 3).</summary>
public class HessianTests
{
    const int N = 5;

    /// <summary>f(x) = ½ xᵀAx + ¼ Σ xᵢ⁴ + (wᵀx)³/6, whose Hessian is ½(A + Aᵀ) + diag(3x²) + (wᵀx)·w wᵀ.</summary>
    static Tensor Function(Tensor x, Tensor a, Tensor w)
    {
        using var ax = a.matmul(x);
        using var quadratic = (x * ax).sum() * 0.5;
        using var quartic = x.pow(4).sum() * 0.25;
        using var wx = (w * x).sum();
        using var cubic = wx.pow(3) / 6;
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

    [Theory]
    [MemberData(nameof(Seeds.Three), MemberType = typeof(Seeds))]
    public void HessianVectorProductsMatchTheAnalyticHessian(ulong seed)
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(seed);
        var x = torch.randn([N], DType.Float64, generator: g).requires_grad_();
        var a = torch.randn([N, N], DType.Float64, generator: g);
        var w = torch.randn([N], DType.Float64, generator: g);
        var expected = AnalyticHessian(x.data<double>(), a.data<double>(), w.data<double>());

        var f = Function(x, a, w);
        var gradient = torch.grad([f], [x], create_graph: true)[0]!;
        Assert.True(gradient.requires_grad, "with create_graph the gradient must itself be differentiable");
        for (var j = 0; j < N; j++)
        {
            // H·e_j is column j of the Hessian.
            var e = torch.zeros([N], DType.Float64);
            using (torch.no_grad()) e.select(0, j).fill_(1);
            var hv = torch.grad([(gradient * e).sum()], [x], retain_graph: true)[0]!.data<double>();
            for (var i = 0; i < N; i++)
                Assert.True(Math.Abs(hv[i] - expected[i, j]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i, j])),
                    $"H[{i},{j}]: autograd {hv[i]}, analytic {expected[i, j]}");
        }
        // A random direction, once more: Hv = Σ_j H[:, j] v_j.
        var v = torch.randn([N], DType.Float64, generator: g);
        var vd = v.data<double>();
        var product = torch.grad([(gradient * v).sum()], [x])[0]!.data<double>();
        for (var i = 0; i < N; i++)
        {
            var want = 0.0;
            for (var j = 0; j < N; j++) want += expected[i, j] * vd[j];
            Assert.Equal(want, product[i], 1e-10);
        }
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void DoubleBackwardThroughAConvNetMatchesFiniteDifferencesOfTheGradient(ulong seed)
    {
        // The derivative of w ↦ ∇_w L(w) in a random direction is the Hessian-vector product; check it against
        // central differences of the gradient for L = Σ tanh(conv(x, w))² (smooth, so second derivatives exist).
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(seed);
        var input = torch.randn([2, 2, 5, 5], DType.Float64, generator: g);
        var weight = torch.randn([3, 2, 3, 3], DType.Float64, generator: g);
        GradCheck.Verify(p =>
        {
            var loss = F.tanh(F.conv2d(input, p[0], null, stride: 2, padding: 1)).pow(2).sum();
            return torch.grad([loss], [p[0]], create_graph: true)[0]!;
        }, [weight], seed);
    }
}
