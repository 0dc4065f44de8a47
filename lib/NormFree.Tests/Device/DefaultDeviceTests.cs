using NormFree.Data;
using NormFree.Nn;
using NormFree.Torch;
using NormFree.Training;

namespace NormFree.Tests.DeviceAware;

/// <summary>How the default device is chosen (NORMFREE_DEVICE, else cuda when available, else cpu), checked with
/// synthetic CUDA device counts so the GPU cases run here too; and the clear error for a device this process lacks.</summary>
public class DefaultDeviceTests
{
    [Theory]
    [InlineData(null, 0, "cpu")]
    [InlineData("", 0, "cpu")]
    [InlineData(null, 2, "cuda:0")]       // cuda when available
    [InlineData("  ", 1, "cuda:0")]
    [InlineData("cpu", 2, "cpu")]         // the variable overrides the automatic choice
    [InlineData("CUDA", 1, "cuda:0")]
    [InlineData("cuda:1", 2, "cuda:1")]
    public void ChoosesFromTheVariableThenFromCudaAvailability(string? setting, int cudaDevices, string expected) =>
        Assert.Equal(expected, torch.ResolveDevice(setting, cudaDevices).ToString());

    [Theory]
    [InlineData("cuda", 0, "CUDA is not available")]
    [InlineData("cuda:0", 0, "CUDA is not available")]
    [InlineData("cuda:2", 2, "sees 2 CUDA device(s): cuda:0, cuda:1")]
    [InlineData("gpu", 1, "expected cpu, cuda or cuda:N")]
    [InlineData("cuda:-1", 1, "expected cpu, cuda or cuda:N")]
    public void AnUnusableOrUnknownSettingIsAClearErrorNamingTheVariable(string setting, int cudaDevices, string reason)
    {
        var e = Assert.Throws<InvalidOperationException>(() => torch.ResolveDevice(setting, cudaDevices));
        Assert.StartsWith($"NORMFREE_DEVICE={setting}", e.Message.Replace("'", ""));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void TheDefaultIsAUsableDeviceAndTrainConfigDefaultsToIt()
    {
        var device = torch.default_device;
        Assert.Equal(device, device.EnsureAvailable());
        Assert.Equal(device, new TrainConfig().Device);
        Assert.Equal(Device.CPU, new TrainConfig { Device = "cpu" }.Device); // per run
    }

    [Fact]
    public void SettingAnUnusableDefaultThrowsAndKeepsTheOldOne()
    {
        var before = torch.default_device;
        var e = Assert.Throws<InvalidOperationException>(() => torch.default_device = Devices.Unavailable);
        Assert.Contains(Devices.Unavailable.ToString(), e.Message);
        Assert.Equal(before, torch.default_device);
    }

    [Fact]
    public void ModuleDataLoaderAndTrainerRefuseADeviceThisProcessLacksWithAClearMessage()
    {
        var missing = Devices.Unavailable;
        using var model = new Linear(3, 2);
        Assert.Contains("requested", Assert.Throws<InvalidOperationException>(() => model.to(missing)).Message);
        Devices.AssertOn(Device.CPU, model.weight);   // nothing moved
        using var data = new InMemoryDataset(torch.zeros([4, 3]), torch.zeros([4], DType.Int64), 2);
        Assert.Throws<InvalidOperationException>(() => new BatchLoader(data, 2, device: missing));
        Assert.Throws<InvalidOperationException>(() => new Trainer(model, data, data, new TrainConfig { Device = missing, Progress = false }));
    }

    [Fact]
    public void SynchronizeWaitsOnCudaAndReturnsAtOnceWithout()
    {
        torch.cuda.synchronize();                                   // the current CUDA device, or nothing to wait for
        for (var i = 0; i < torch.cuda.device_count(); i++) torch.cuda.synchronize(Device.CUDA(i));
        Assert.Equal(torch.cuda.is_available() ? 1 : 0, Native.nf_cuda_synchronize(-1));
        Assert.Throws<ArgumentException>(() => torch.cuda.synchronize(Device.CPU));
    }

    [Fact]
    public void SynchronizingACudaDeviceThatDoesNotExistFailsOnlyWhereThereIsCuda()
    {
        if (torch.cuda.is_available()) Assert.Throws<TorchException>(() => torch.cuda.synchronize(Devices.Unavailable));
        else torch.cuda.synchronize(Devices.Unavailable); // a CPU-only build has nothing to wait for
    }
}
