using NormFree.Models;
using Xunit.Abstractions;

namespace NormFree.Tests.Methods.Twins;

/// <summary>The reference CIFAR ResNet (He et al. 2016a, §4.2: option-A zero-pad shortcuts, BN after each conv) with
/// and without BN against a PyTorch twin written from the paper (<c>Twins/cifar_resnet.py</c>), in float32 as trained:
/// identical initial weights through safetensors, the same fixed batches, 30 SGD steps (momentum 0.9, weight decay
/// 5e-4; LR 0.1 with BN, 0.01 for the plain net).</summary>
public class ResNetTwinTests(ITestOutputHelper output)
{
    const int Steps = 30;

    /// <summary>Step 1: the loss and every parameter's gradient norm within 1e-4 relative. float32 rounding of one
    /// forward and backward (reductions over at most ~10⁴ terms, different conv kernels in libtorch 2.10 and PyTorch
    /// 1.13) stays near 1e-6 relative; 1e-4 is the acceptance bound.</summary>
    const double StepOneRelative = 1e-4;

    /// <summary>Every later step's loss within 1e-3 relative, stated before the run: the two runs start within float32
    /// rounding (~1e-6) and the differences in the weights grow with each step's update, so by step 30 they may be a
    /// few hundred times larger; 1e-3 leaves that margin while a real difference (a wrong update, decay or BN
    /// statistic) moves the loss by far more within a few steps at these learning rates.</summary>
    const double CurveRelative = 1e-3;

    /// <summary>BN running statistics after 30 steps, elementwise: |a − b| ≤ 1e-3 · max(|a|, |b|) + 1e-5 (the same drift
    /// as the curve, and an absolute floor for running means near 0).</summary>
    const double BufferRelative = 1e-3, BufferAbsolute = 1e-5;

    /// <summary>The plain net (no BN) at LR 0.01 in float32: step 1 within 1e-4, the 30-step curve within 1e-3.</summary>
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void PlainNetThirtyStepsInFloat32MatchThePyTorchTwin(ulong seed)
    {
        if (PythonTwin.Available(output)) Compare(false, 0.01, seed, ScalarType.Float32, CurveRelative);
    }

    /// <summary>The BN net at LR 0.1 in float32. A fixed per-step tolerance cannot hold here: measured (seeds 1, 2),
    /// step 1 agrees to the last bit, but the two libraries' float32 rounding differences then grow ~10× every 2–3
    /// steps (batch-32 BN statistics at LR 0.1) and the curves part by ~1e-2 relative by step 25, while the same runs
    /// in float64 agree to 1e-6 (below). So the float32 run is judged against the exact curve — PyTorch's float64
    /// run from the same float32 weights — and must stay as close to it as PyTorch's own float32 run does:
    /// max over steps of |ours − exact| / |exact| ≤ <see cref="ChaosFactor"/> × the same for PyTorch's float32 run,
    /// plus float32 resolution (1e-6). Both float32 runs start from rounding of the same size and are amplified by
    /// the same dynamics; a wrong update, decay or BN statistic adds a deviation of its own from step 2 on.</summary>
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void BnNetThirtyStepsInFloat32StayAsCloseToTheExactCurveAsPyTorchFloat32(ulong seed)
    {
        if (!PythonTwin.Available(output)) return;
        var (losses, twin32) = Compare(true, 0.1, seed, ScalarType.Float32, curveRelative: double.PositiveInfinity, exactTwin: true);
        var exact = twin32.Exact!;
        double Worst(IReadOnlyList<double> curve) => curve.Select((l, k) => Rel(l, exact[k])).Max();
        var (ours, theirs) = (Worst(losses), Worst(twin32.Twin.Losses));
        output.WriteLine($"largest deviation from PyTorch's float64 curve: {ours:E2} here, {theirs:E2} for PyTorch's float32 run");
        Assert.True(ours <= ChaosFactor * theirs + 1e-6,
            $"float32 curve {ours:E2} from the exact one, PyTorch's float32 curve {theirs:E2} (allowed × {ChaosFactor})");
    }

    /// <summary>Two float32 runs of the same chaotic dynamics: their deviations from the exact curve differ by the
    /// luck of where their first rounding differences fall, a small factor, stated before the comparison.</summary>
    const double ChaosFactor = 5;

    /// <summary>Both nets in float64, 30 steps: losses and every gradient norm at every step within 1e-6 relative (stated
    /// before the run: float64 rounding ~1e-16 growing ~10× per 2–3 steps as measured in float32 reaches ~1e-6 by step
    /// 30), BN running statistics within 1e-6.</summary>
    [Theory]
    [InlineData(true, 0.1, 1UL)]
    [InlineData(true, 0.1, 2UL)]
    [InlineData(false, 0.01, 1UL)]
    public void ThirtyStepsInFloat64MatchThePyTorchTwin(bool bn, double lr, ulong seed)
    {
        if (PythonTwin.Available(output)) Compare(bn, lr, seed, ScalarType.Float64, 1e-6);
    }

    /// <summary>Runs both sides over the same weights and batches and checks step 1, the curve within
    /// <paramref name="curveRelative"/> and the BN running statistics; with <paramref name="exactTwin"/> the twin also
    /// runs in float64 from the same weights (the exact curve).</summary>
    (List<double> Losses, (TwinResult Twin, double[]? Exact) Twins) Compare(bool bn, double lr, ulong seed, ScalarType dtype,
        double curveRelative, bool exactTwin = false)
    {
        const double momentum = 0.9, weightDecay = 5e-4;
        torch.manual_seed((long)seed);
        using var net = ResNet.Build(ResNetConfig.ResNet(8) with { InChannels = 1, Normalization = bn });
        net.train();
        net.to(dtype);
        var f64 = dtype == ScalarType.Float64;
        var bufferRelative = f64 ? 1e-6 : BufferRelative;
        var bufferAbsolute = f64 ? 1e-9 : BufferAbsolute;
        var batches = Batches(Steps, 32, 16, seed, dtype);
        var dir = PythonTwin.NewDirectory(bn ? "resnet-bn" : "resnet-plain");
        try
        {
            var config = new Dictionary<string, object>
            {
                ["steps"] = Steps, ["lr"] = lr, ["momentum"] = momentum, ["weight_decay"] = weightDecay,
                ["blocks"] = 1, ["in_channels"] = 1, ["bn"] = bn, ["dtype"] = f64 ? "float64" : "float32",
            };
            PythonTwin.Write(dir, net, batches, config);
            var twin = PythonTwin.Run("cifar_resnet.py", dir);
            double[]? exact = null;
            if (exactTwin)
            {
                // The same weights and batches widened to float64 inside the twin: the curve without float32 rounding.
                config["dtype"] = "float64";
                File.WriteAllText(Path.Combine(dir, "config.json"), System.Text.Json.JsonSerializer.Serialize(config));
                exact = PythonTwin.Run("cifar_resnet.py", dir).Losses;
            }
            Assert.Equal(net.parameters().Count(), twin.Checks.GetProperty("parameters").GetInt32());

            using var sgd = torch.optim.SGD(net.parameters(), lr, momentum: momentum, weight_decay: weightDecay);
            var (losses, norms) = FixUpTwinTests.Train(net, sgd, batches);
            for (var k = 0; k < Steps; k++)
                output.WriteLine($"step {k + 1}: loss {losses[k]:R} here, {twin.Losses[k]:R} in PyTorch, rel {Rel(losses[k], twin.Losses[k]):E2}");

            // Step 1: the loss and every parameter's gradient norm.
            PythonTwin.AssertSame(losses.Take(1).ToList(), norms.Take(1).ToList(), twin with { Losses = twin.Losses[..1], GradNorms = twin.GradNorms[..1] }, StepOneRelative);
            // The curve (in float64 also every gradient norm at every step).
            if (f64) PythonTwin.AssertSame(losses, norms, twin, curveRelative);
            for (var k = 0; k < Steps; k++)
                Assert.True(Rel(losses[k], twin.Losses[k]) <= curveRelative, $"step {k + 1}: loss {losses[k]:R} here, {twin.Losses[k]:R} in PyTorch");

            // The BN running statistics after the steps (judged against the exact curve, the float32 BN run has no
            // per-step bound for them either: they follow the curve).
            if (double.IsPositiveInfinity(curveRelative)) return (losses, (twin, exact));
            var buffers = twin.Checks.GetProperty("buffers");
            var mine = net.named_buffers().ToList();
            Assert.Equal(mine.Select(b => b.name).Order(), buffers.EnumerateObject().Select(p => p.Name).Order());
            Assert.Equal(bn ? 3 * 7 : 0, mine.Count); // 7 BNs in ResNet-8, each running_mean, running_var, num_batches_tracked
            foreach (var (name, buffer) in mine)
            {
                var theirs = buffers.GetProperty(name);
                if (buffer.dtype == ScalarType.Int64) { Assert.Equal(theirs.GetInt64(), buffer.ToInt64()); continue; }
                using var wide = buffer.to(ScalarType.Float64);
                var a = wide.data<double>().ToArray();
                var b = theirs.EnumerateArray().Select(e => e.GetDouble()).ToArray();
                Assert.Equal(a.Length, b.Length);
                for (var i = 0; i < a.Length; i++)
                    Assert.True(Math.Abs(a[i] - b[i]) <= bufferRelative * Math.Max(Math.Abs(a[i]), Math.Abs(b[i])) + bufferAbsolute,
                        $"{name}[{i}] = {a[i]:R} here, {b[i]:R} in PyTorch");
            }
            return (losses, (twin, exact));
        }
        finally
        {
            foreach (var (x, y) in batches) { x.Dispose(); y.Dispose(); }
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Noisy batches (a weak class pattern under dominant noise), so that the loss stays of order 1 over the
    /// 30 steps: near a loss of 0 a relative comparison of losses measures the rounding of a vanishing misfit, not the
    /// two implementations (the separable batches of <see cref="FixUpTwinTests.Batches"/> reach a loss of ~0.005 by
    /// step 30 at LR 0.1).</summary>
    static List<(Tensor X, Tensor Y)> Batches(int steps, long batch, long size, ulong seed, ScalarType dtype) =>
        FixUpTwinTests.Batches(steps, batch, size, seed, dtype, (pattern, noise) => (pattern * 0.15 + noise * 0.85 - 0.5) / 0.3);

    static double Rel(double a, double b) => Math.Abs(a - b) / Math.Max(Math.Abs(a), Math.Abs(b));
}
