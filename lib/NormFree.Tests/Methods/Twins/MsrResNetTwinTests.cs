using NormFree.Methods.MeanShiftRejection;
using NormFree.Models;
using NormFree.Optim;
using Xunit.Abstractions;

namespace NormFree.Tests.Methods.Twins;

/// <summary>Issue 17: the MSR ResNet (CZMI init, the e^g scale, LUMA and the CZMG projection as gradient hooks)
/// against a PyTorch twin written from the paper (<c>Twins/msr_resnet.py</c>), where LUMA is a loss term and CZMG
/// edits <c>.grad</c> after backward: the same weights, batches and SGD steps at the paper's CZMIG LR 0.4.</summary>
public class MsrResNetTwinTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1UL, 0.85)]
    [InlineData(2UL, 0.98)]
    public void CzmigStepsMatchThePyTorchTwin(ulong seed, double zmg)
    {
        if (!PythonTwin.Available(output)) return;
        const double lr = 0.4, momentum = 0.9;
        const int steps = 5;
        var config = MsrConfig.CZMIG with { Zmg = zmg, Luma = 5e-3 }; // a λ 10× the paper's, so LUMA's part shows in the gradients
        torch.manual_seed((long)seed);
        using var net = MsrResNet.Build(ResNetConfig.ResNet(8) with { InChannels = 1 }, config);
        net.to(ScalarType.Float64);
        var batches = FixUpTwinTests.Batches(steps, 16, 16, seed, ScalarType.Float64);
        var dir = PythonTwin.NewDirectory("msr");
        try
        {
            PythonTwin.Write(dir, net, batches, new Dictionary<string, object>
            {
                ["steps"] = steps, ["lr"] = lr, ["momentum"] = momentum, ["luma"] = config.Luma, ["zmg"] = config.Zmg,
                ["blocks"] = 1, ["in_channels"] = 1, ["dtype"] = "float64",
            });
            var twin = PythonTwin.Run("msr_resnet.py", dir);
            var checks = twin.Checks;
            Assert.True(checks.GetProperty("czmi_max_slice_mean").GetDouble() < 1e-6, "CZMI: a slice of a zero-mean kernel has a mean"); // drawn in float32
            Assert.True(checks.GetProperty("max_filter_norm_error").GetDouble() < 1e-6, "CZMI: a filter without unit norm");
            Assert.True(checks.GetProperty("max_scale_error").GetDouble() < 1e-6, "e^g does not start at 0.8");
            Assert.True(checks.GetProperty("first_layer_slice_mean").GetDouble() > 1e-3, "the first layer is zero-mean: the paper leaves it out");
            Assert.Equal(MsrResNet.zero_mean_kernels(net, config).Count, checks.GetProperty("zero_mean_kernels").GetInt32());

            using var sgd = torch.optim.SGD(net.parameters(), lr, momentum: momentum);
            var hooks = MsrResNet.gradient_hooks(net, config); // LUMA, then CZMG
            var losses = new List<double>();
            var norms = new List<Dictionary<string, double>>();
            foreach (var (x, y) in batches)
            {
                sgd.zero_grad();
                using (var scope = torch.NewDisposeScope())
                {
                    var loss = F.cross_entropy(net.call(x), y);
                    loss.backward();
                    losses.Add(loss.ToDouble());
                }
                GradientHooks.apply(net.parameters(), hooks);
                norms.Add(PythonTwin.GradNorms(net));
                sgd.step();
            }
            for (var k = 0; k < steps; k++) output.WriteLine($"step {k}: loss {losses[k]:R} here, {twin.Losses[k]:R} in PyTorch");
            PythonTwin.AssertSame(losses, norms, twin, relative: 1e-9);
        }
        finally
        {
            foreach (var (x, y) in batches) { x.Dispose(); y.Dispose(); }
            Directory.Delete(dir, recursive: true);
        }
    }
}
