using NormFree.Analysis;
using NormFree.Init;
using NormFree.Nn;

namespace NormFree.Tests.DeviceAware;

/// <summary>Curvature and signal-propagation analyses run where the model lives and make their own tensors there.</summary>
public class AnalysisOnDeviceTests
{
    sealed class Tanh() : nn.Module<Tensor, Tensor>(nameof(Tanh))
    {
        public override Tensor forward(Tensor input) => input.tanh();
    }

    [Theory]
    [MemberData(nameof(AvailableDevices.All), MemberType = typeof(AvailableDevices))]
    public void HessianPowerIterationRunsOnTheParametersDevice(string name)
    {
        Device device = name;
        // L(θ) = ½ θᵀ diag(d) θ: the Hessian is diag(d), its dominant eigenvalue 5.
        using var theta = torch.tensor(new[] { 0.3, -1.0, 2.0, 0.5 }, device: device).requires_grad_();
        using var d = torch.tensor(new[] { 5.0, 3.0, 1.0, -2.0 }, device: device);
        Tensor Loss() => (d * theta * theta).sum() * 0.5;

        using var v = torch.tensor(new[] { 1.0, 2.0, -1.0, 0.5 }, device: device);
        var hv = Hessian.hvp(Loss, [theta], [v]);
        AvailableDevices.AssertOn(device, hv[0]);
        using var expected = d * v;
        Assert.True(hv[0].allclose(expected), "H v = diag(d) v");
        hv[0].Dispose();

        var estimate = Hessian.top_eigenvalue([theta], [Loss], new PowerIterationOptions { MaxIterations = 200, Tolerance = 1e-12 });
        Assert.Equal(5.0, estimate.Eigenvalue, 1e-6);
    }

    [Theory]
    [MemberData(nameof(AvailableDevices.All), MemberType = typeof(AvailableDevices))]
    public void SignalPropagationRunsACpuBatchOnTheModelsDeviceAndMatchesTheCpu(string name)
    {
        Device device = name;
        IReadOnlyList<LayerSignal> Measure(Device d)
        {
            using var g = new Generator(8);
            using var model = nn.Sequential(nn.Linear(6, 6), new Tanh(), nn.Linear(6, 6), new Tanh(), nn.Linear(6, 2));
            foreach (var p in model.parameters()) init.normal_(p, 0, 0.5, g);
            model.to(d);
            Assert.All(model.parameters(), p => AvailableDevices.AssertOn(d, p));
            using var x = torch.randn([5, 6], generator: g);   // the probe batch stays on the CPU
            return SignalPropagation.collect<Tanh>(model, x, y => y.pow(2).mean());
        }
        var expected = Measure(torch.CPU);
        var measured = Measure(device);
        Assert.Equal(expected.Count, measured.Count);
        foreach (var (e, m) in expected.Zip(measured))
        {
            Assert.Equal(e.Norm, m.Norm, 1e-5);
            Assert.Equal(e.GradNorm, m.GradNorm, 1e-5);
        }
    }

    [Theory]
    [MemberData(nameof(AvailableDevices.All), MemberType = typeof(AvailableDevices))]
    public void AModuleWithoutParametersIsProbedWhereItsInputIs(string name)
    {
        // No parameter says where the model lives: the probe batch stays on its own device.
        Device device = name;
        using var empty = nn.Sequential(new Tanh());
        using var x = torch.tensor(new[] { 0.5f, -1.0f, 2.0f, 0.25f, 3.0f, -0.5f }, [2, 3], device: device);   // (B, C)
        var signals = SignalPropagation.collect<Tanh>(empty, x);
        var layer = Assert.Single(signals);
        using var expected = x.tanh().norm();
        Assert.Equal(expected.ToDouble(), layer.Norm, 1e-6);
        Assert.True(double.IsNaN(layer.GradNorm));
    }
}
