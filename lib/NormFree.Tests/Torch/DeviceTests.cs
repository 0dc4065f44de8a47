using NormFree.Nn;
using NormFree.Torch;

namespace NormFree.Tests.Torch;

/// <summary>Issue 9: the device is chosen once and passed in, never assumed; every device test runs on each device
/// this machine has (here the CPU, on a GPU box also cuda:0) through the same code.</summary>
public class DeviceTests
{
    public static TheoryData<string> Devices
    {
        get
        {
            var devices = new TheoryData<string> { "cpu" };
            if (torch.cuda.is_available()) devices.Add("cuda:0");
            return devices;
        }
    }

    [Fact]
    public void DefaultDeviceIsChosenFromTheEnvironmentThenTheHardware()
    {
        Assert.Equal(Device.CPU, torch.ResolveDevice(null, 0));
        Assert.Equal(Device.CUDA(0), torch.ResolveDevice(null, 2));
        Assert.Equal(Device.CPU, torch.ResolveDevice("cpu", 2));
        Assert.Equal(Device.CUDA(1), torch.ResolveDevice(" CUDA:1 ", 2));
        var e = Assert.Throws<InvalidOperationException>(() => torch.ResolveDevice("cuda", 0));
        Assert.Contains("NORMFREE_DEVICE=cuda", e.Message);
        Assert.Contains("CUDA is not available", e.Message);
        Assert.Contains("sees 2 CUDA device(s)", Assert.Throws<InvalidOperationException>(() => torch.ResolveDevice("cuda:2", 2)).Message);
        Assert.Contains("NORMFREE_DEVICE='gpu'", Assert.Throws<InvalidOperationException>(() => torch.ResolveDevice("gpu", 1)).Message);
    }

    [Fact]
    public void DefaultDeviceMatchesThisMachine()
    {
        var expected = torch.ResolveDevice(Environment.GetEnvironmentVariable(torch.DeviceVariable), torch.cuda.device_count());
        Assert.Equal(expected, torch.default_device);
    }

    [Fact]
    public void CudaOnAMachineWithoutItIsAClearError()
    {
        if (torch.cuda.is_available()) return;                          // nothing to refuse on a GPU box
        var e = Assert.Throws<InvalidOperationException>(() => torch.zeros([2], device: Device.CUDA()));
        Assert.Contains("cuda:0 requested, but CUDA is not available", e.Message);
        Assert.DoesNotContain("registered at", e.Message);              // not libtorch's dispatcher dump
        using var x = torch.ones([2]);
        Assert.Throws<InvalidOperationException>(() => x.cuda());
        Assert.Throws<InvalidOperationException>(() => torch.tensor(new float[] { 1 }, device: Device.CUDA()));
        Assert.Throws<InvalidOperationException>(() => torch.default_device = Device.CUDA());
    }

    [Fact]
    public void SynchronizeReturnsOnEveryMachine()
    {
        torch.cuda.synchronize();
        torch.cuda.synchronize(Device.CUDA(0));
        Assert.Throws<ArgumentException>(() => torch.cuda.synchronize(Device.CPU));
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void ConvStepGivesTheSameNumbersOnEveryDevice(string name)
    {
        Device device = name;
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(4);
        var x = torch.randn([2, 3, 6, 6], DType.Float64, generator: g);
        var w = torch.randn([4, 3, 3, 3], DType.Float64, generator: g);
        var (cpuLoss, cpuGrad) = Step(x, w);
        var (loss, grad) = Step(x.to(device), w.to(device));
        Assert.Equal(device, loss.device);
        Assert.Equal(cpuLoss.item(), loss.item(), 1e-10);
        Assert.True(cpuGrad.allclose(grad.cpu(), rtol: 1e-10, atol: 1e-12));
    }

    static (Tensor Loss, Tensor Grad) Step(Tensor x, Tensor w)
    {
        var leaf = w.detach().requires_grad_();
        var loss = F.conv2d(x, leaf, null, stride: 2, padding: 1).relu().pow(2).mean();
        return (loss, torch.grad([loss], [leaf])[0]!);
    }

    [Fact]
    public void OutOfMemoryIsItsOwnException()
    {
        // 2⁵⁰ floats (4 PiB): no machine has that, so the allocator refuses it, on the CPU as on a GPU.
        var e = Assert.Throws<TorchOutOfMemoryException>(() => torch.empty([1L << 50], device: torch.default_device));
        Assert.IsAssignableFrom<TorchException>(e);
        Assert.Contains("allocate", e.Message);
        // The GPU's message, as libtorch words it, is recognised too.
        Assert.IsType<TorchOutOfMemoryException>(TorchException.FromMessage(
            "CUDA out of memory. Tried to allocate 20.00 GiB (GPU 0; 79.15 GiB total capacity; 1.2 GiB already allocated)"));
        Assert.IsType<TorchException>(TorchException.FromMessage("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"));
    }
}
