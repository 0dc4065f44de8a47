namespace NormFree.Tests.DeviceAware;

/// <summary>A conv step (forward, loss, gradient) gives the CPU's numbers on every device this process sees.</summary>
public class ConvOnDeviceTests
{
    [Theory]
    [MemberData(nameof(AvailableDevices.All), MemberType = typeof(AvailableDevices))]
    public void ConvStepGivesTheSameNumbersOnEveryDevice(string name)
    {
        var device = torch.device(name);
        using var scope = torch.NewDisposeScope();
        using var g = new Generator(4);
        var x = torch.randn([2, 3, 6, 6], float64, generator: g);
        var w = torch.randn([4, 3, 3, 3], float64, generator: g);
        var (cpuLoss, cpuGrad) = Step(x, w);
        var (loss, grad) = Step(x.to(device), w.to(device));
        AvailableDevices.AssertOn(device, loss);
        AvailableDevices.AssertOn(device, grad);
        Assert.Equal(cpuLoss.ToDouble(), loss.ToDouble(), 1e-10);
        Assert.True(cpuGrad.allclose(grad.cpu(), rtol: 1e-10, atol: 1e-12));
    }

    static (Tensor Loss, Tensor Grad) Step(Tensor x, Tensor w)
    {
        var leaf = w.detach().requires_grad_();
        var loss = F.conv2d(x, leaf, null, strides: [2], padding: [1]).relu().pow(2).mean();
        return (loss, torch.autograd.grad([loss], [leaf])[0]);
    }
}
