using NormFree.Nn;
using NormFree.Tests.Torch;
using NormFree.Torch;

namespace NormFree.Tests.DeviceAware;

/// <summary>The switches a reproducible GPU run needs (Blumenfeld et al. 2020 measure how nondeterministic GPU kernels
/// break symmetry): cuDNN deterministic / benchmark and deterministic algorithms. They are process-wide, so these
/// tests run alone; on a CPU build they are recorded and change nothing.</summary>
[Collection(GlobalState.Name)]
public class DeterminismSwitchTests
{
    [Theory]
    [MemberData(nameof(Devices.Available), MemberType = typeof(Devices))]
    public void TheSwitchesReadBackWhatWasSetAndAConvStepUnderThemIsRepeatable(string name)
    {
        Device device = name;
        var saved = (torch.are_deterministic_algorithms_enabled(), torch.backends_cudnn.deterministic, torch.backends_cudnn.benchmark);
        try
        {
            foreach (var (algorithms, cudnnDeterministic, benchmark) in new[] { (true, true, false), (false, false, true) })
            {
                torch.use_deterministic_algorithms(algorithms);
                torch.backends_cudnn.deterministic = cudnnDeterministic;
                torch.backends_cudnn.benchmark = benchmark;
                Assert.Equal(algorithms, torch.are_deterministic_algorithms_enabled());
                Assert.Equal(cudnnDeterministic, torch.backends_cudnn.deterministic);
                Assert.Equal(benchmark, torch.backends_cudnn.benchmark);
                using var scope = torch.NewDisposeScope();
                var (first, second) = (GradientOfAConvStep(device), GradientOfAConvStep(device));
                if (algorithms) Assert.Equal(first.cpu().bytes(), second.cpu().bytes());  // bit for bit under the switches
                else Assert.True(first.allclose(second, rtol: 1e-5, atol: 1e-6));          // cuDNN may pick other kernels
            }
        }
        finally
        {
            torch.use_deterministic_algorithms(saved.Item1);
            torch.backends_cudnn.deterministic = saved.Item2;
            torch.backends_cudnn.benchmark = saved.Item3;
        }
    }

    static Tensor GradientOfAConvStep(Device device)
    {
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(3);
        var weight = torch.randn([4, 2, 3, 3], device: device, generator: g).requires_grad_();
        var x = torch.randn([8, 2, 6, 6], device: device, generator: g);
        F.conv2d(x, weight, padding: 1).relu().sum().backward();
        return weight.grad!.MoveToOuterDisposeScope();
    }
}
