using System.Text;

namespace NormFree.Tests;

/// <summary>Gradient check by central finite differences in float64, for any function of tensors.
/// For y = f(x₁, …, x_k) it draws a fixed random cotangent r shaped like y, so every output element counts with
/// its own weight, and compares autograd's ∂L/∂x for L = Σ r ⊙ y with
/// (L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h for every element i of every input. The truncation error is O(h²·L‴) and the
/// rounding error O(ε·|L|/h); with h = 1e-6 both are far below 1e-6 relative for well-scaled inputs.
/// <code>GradCheck.Verify(x => F.conv2d(x[0], x[1], padding: [1]), [input, weight]);</code>
/// Every input enters the loss (an unused one with weight 0), so <c>torch.autograd.grad</c> never meets an input
/// outside the graph: TorchSharp ends the process on a native error inside it instead of throwing.
/// Inputs must be float64; they are read, never modified. Fixed (non-differentiated) tensors go in by closure.
/// Use it for second derivatives too: check <c>x => torch.autograd.grad([f(x)], x, retain_graph: true, create_graph: true)</c>
/// (TorchSharp does not retain the graph by itself under create_graph, as PyTorch does; without it the second
/// backward meets freed buffers and the process ends).</summary>
public static class GradCheck
{
    public const double DefaultStep = 1e-6;
    public const double DefaultTolerance = 1e-6;
    const ulong CotangentStream = 0x9E3779B97F4A7C15;       // 2⁶⁴/φ, any constant that mixes the bits would do

    /// <summary>The largest error over all inputs, each input's error being
    /// max|analytic − numeric| / max(max|analytic|, max|numeric|), with a report naming the worst elements.</summary>
    public static (double Error, string Report) Check(Func<Tensor[], Tensor> f, Tensor[] inputs, ulong seed = 0, double step = DefaultStep)
    {
        foreach (var x in inputs)
            if (x.dtype != ScalarType.Float64) throw new ArgumentException($"gradient checks need float64 inputs, got {x.dtype}");
        var values = Array.ConvertAll(inputs, Values);
        var shapes = Array.ConvertAll(inputs, x => x.shape);
        var (analytic, cotangent, outShape) = Analytic(f, values, shapes, seed);

        var worst = 0.0;
        var report = new StringBuilder();
        for (var k = 0; k < values.Length; k++)
        {
            var numeric = new double[values[k].Length];
            for (var i = 0; i < numeric.Length; i++)
            {
                var original = values[k][i];
                values[k][i] = original + step;
                var plus = Loss(f, values, shapes, cotangent, outShape);
                values[k][i] = original - step;
                var minus = Loss(f, values, shapes, cotangent, outShape);
                values[k][i] = original;
                numeric[i] = (plus - minus) / (2 * step);
            }
            var (error, at) = RelativeError(analytic[k], numeric);
            worst = Math.Max(worst, error);
            report.Append($"input {k} [{string.Join(", ", shapes[k])}]: relative error {error:E2}");
            if (at >= 0) report.Append($" (worst at element {at}: autograd {analytic[k][at]:G10}, finite difference {numeric[at]:G10})");
            report.AppendLine();
        }
        return (worst, report.ToString());
    }

    /// <summary>For parameters a closure reads (a module's weights): runs <paramref name="loss"/> once with backward, then compares every element's gradient of every
    /// tensor in <paramref name="inputs"/> with (L(θ + h) − L(θ − h)) / 2h: they may differ by at most 10^−<paramref name="precision"/>.
    /// Each element is restored after its probe.</summary>
    public static void AssertMatchesFiniteDifferences(Func<Tensor> loss, IEnumerable<Tensor> inputs, int precision, double h = 1e-6)
    {
        using (var l = loss()) l.backward();
        foreach (var p in inputs)
        {
            using var grad = p.grad ?? throw new ArgumentException("an input has no gradient: it does not reach the loss");
            var analytic = Values(grad);
            using var flat = p.view(-1);
            for (var i = 0; i < analytic.Length; i++)
            {
                double At(double delta)
                {
                    using (torch.no_grad())
                    using (var e = flat[i]) e.add_(delta);
                    using var l = loss();
                    return l.ToDouble();
                }
                var plus = At(h);
                var minus = At(-2 * h);
                At(h);
                // |difference| ≤ 10^−precision; not xUnit's precision overload, which rounds both sides first and so
                // fails two values 4e-8 apart that straddle a rounding boundary.
                var numeric = (plus - minus) / (2 * h);
                Xunit.Assert.True(Math.Abs(numeric - analytic[i]) <= Math.Pow(10, -precision),
                    $"element {i}: finite difference {numeric:R}, autograd {analytic[i]:R}");
            }
        }
    }

    /// <summary>Fails the test (with the per-input report) when the relative error exceeds <paramref name="tolerance"/>.</summary>
    public static void Verify(Func<Tensor[], Tensor> f, Tensor[] inputs, ulong seed = 0, double tolerance = DefaultTolerance, double step = DefaultStep)
    {
        var (error, report) = Check(f, inputs, seed, step);
        Xunit.Assert.True(error < tolerance, $"gradient check failed (tolerance {tolerance:E0}):\n{report}");
    }

    static (double[][] Gradients, double[] Cotangent, long[] OutShape) Analytic(Func<Tensor[], Tensor> f, double[][] values, long[][] shapes, ulong seed)
    {
        using var scope = torch.NewDisposeScope();
        var leaves = Leaves(values, shapes);
        var y = f(leaves);
        if (y.dtype != ScalarType.Float64) throw new ArgumentException($"the function must return float64, got {y.dtype}");
        var outShape = y.shape;
        // A stream apart from the inputs': were r drawn with the inputs' seed it could equal an input, and some
        // gradients vanish at r = x (batch norm's, for one: ∂/∂x Σ x̂·x = 0).
        using var generator = new Generator(seed ^ CotangentStream);
        var r = torch.randn(outShape, ScalarType.Float64, generator: generator);
        var loss = (y * r).sum();
        foreach (var x in leaves) loss = loss + (x * 0).sum(); // an input f ignores gets a zero gradient, not a native error
        var grads = torch.autograd.grad([loss], leaves);
        var gradients = Array.ConvertAll(grads.ToArray(), Values);
        return (gradients, Values(r), outShape);
    }

    /// <summary>L = Σ r ⊙ f(x), summed here in double so the finite difference sees no extra kernels. The inputs
    /// require grad as in the analytic pass, so a function that differentiates inside itself works too.</summary>
    static double Loss(Func<Tensor[], Tensor> f, double[][] values, long[][] shapes, double[] cotangent, long[] outShape)
    {
        using var scope = torch.NewDisposeScope();
        var y = f(Leaves(values, shapes));
        if (!y.shape.AsSpan().SequenceEqual(outShape)) throw new InvalidOperationException("the output shape changed between evaluations");
        var data = Values(y);
        var sum = 0.0;
        for (var i = 0; i < data.Length; i++) sum += data[i] * cotangent[i];
        return sum;
    }

    static Tensor[] Leaves(double[][] values, long[][] shapes)
    {
        var leaves = new Tensor[values.Length];
        for (var k = 0; k < values.Length; k++)
            leaves[k] = torch.tensor(values[k], shapes[k], ScalarType.Float64).requires_grad_();
        return leaves;
    }

    /// <summary>The elements of a float64 tensor in row-major order, whatever its strides.</summary>
    static double[] Values(Tensor x)
    {
        using var dense = x.detach().contiguous();
        return dense.data<double>().ToArray();
    }

    static (double Error, int At) RelativeError(double[] analytic, double[] numeric)
    {
        double scale = 0, worst = 0;
        var at = -1;
        for (var i = 0; i < analytic.Length; i++)
        {
            scale = Math.Max(scale, Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric[i])));
            var d = Math.Abs(analytic[i] - numeric[i]);
            if (double.IsNaN(d) || d > worst) { worst = double.IsNaN(d) ? double.PositiveInfinity : d; at = i; }
        }
        return (scale == 0 ? worst : worst / scale, at);
    }
}
