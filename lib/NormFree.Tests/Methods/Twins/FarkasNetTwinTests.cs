using NormFree.Methods.Farkas;
using Xunit.Abstractions;

namespace NormFree.Tests.Methods.Twins;

/// <summary>Issue 16: a small FarkasNet (stem, two residual Farkas blocks, a transition, one more block; BN without
/// affine after every ReLU) against a PyTorch twin written from the spec (<c>Twins/farkas_net.py</c>): the same
/// weights and BN buffers, batches and SGD steps; losses, per-parameter gradient norms and the BN running variances.</summary>
public class FarkasNetTwinTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(Aggregation.Sum, 1UL)]
    [InlineData(Aggregation.Mean, 2UL)]
    public void TrainingStepsMatchThePyTorchTwin(Aggregation aggregation, ulong seed)
    {
        if (!PythonTwin.Available(output)) return;
        const double lr = 0.1, momentum = 0.9, weightDecay = 5e-4;
        const int steps = 5;
        torch.manual_seed((long)seed);
        using var net = FarkasNet.Build(new FarkasNetConfig(FarkasNet.Architecture([2, 1]) with { InChannels = 1 }, aggregation));
        net.to(ScalarType.Float64);
        using (torch.no_grad()) // biases negative enough that the clamp b̄ = max(agg(−b), β) picks both sides somewhere
            foreach (var (name, p) in net.named_parameters().Where(e => e.name.EndsWith("bias") && !e.name.StartsWith("head")))
                p.sub_(0.3);
        var batches = FixUpTwinTests.Batches(steps, 8, 12, seed, ScalarType.Float64);
        var dir = PythonTwin.NewDirectory("farkas");
        try
        {
            PythonTwin.Write(dir, net, batches, new Dictionary<string, object>
            {
                ["steps"] = steps, ["lr"] = lr, ["momentum"] = momentum, ["weight_decay"] = weightDecay,
                ["aggregation"] = aggregation == Aggregation.Sum ? "sum" : "mean", ["blocks"] = new[] { 2, 1 },
                ["in_channels"] = 1, ["dtype"] = "float64",
            });
            var twin = PythonTwin.Run("farkas_net.py", dir);

            using var sgd = torch.optim.SGD(net.parameters(), lr, momentum: momentum, weight_decay: weightDecay);
            var (losses, norms) = FixUpTwinTests.Train(net, sgd, batches);
            for (var k = 0; k < steps; k++) output.WriteLine($"step {k}: loss {losses[k]:R} here, {twin.Losses[k]:R} in PyTorch");
            PythonTwin.AssertSame(losses, norms, twin, relative: 1e-9);
            var running = net.named_buffers().Where(e => e.name.EndsWith("running_var")).ToList();
            Assert.Equal(running.Count, twin.Checks.GetProperty("running_var_norms").EnumerateObject().Count());
            foreach (var (name, buffer) in running)
            {
                using var n = buffer.norm();
                var theirs = twin.Checks.GetProperty("running_var_norms").GetProperty(name).GetDouble();
                Assert.True(Math.Abs(n.ToDouble() - theirs) <= 1e-9 * theirs, $"{name}: running variance norm {n.ToDouble():R} here, {theirs:R} in PyTorch");
            }
        }
        finally
        {
            foreach (var (x, y) in batches) { x.Dispose(); y.Dispose(); }
            Directory.Delete(dir, recursive: true);
        }
    }
}
