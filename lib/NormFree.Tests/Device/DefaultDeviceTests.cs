namespace NormFree.Tests.DeviceAware;

/// <summary>How the run device is chosen (NORMFREE_DEVICE, else cuda when available, else cpu), checked with
/// synthetic CUDA device counts so the GPU cases run on a CPU machine too; and the clear error for a device this
/// process lacks.</summary>
public class DefaultDeviceTests
{
    [Theory]
    [InlineData(null, 0, "cpu")]
    [InlineData("", 0, "cpu")]
    [InlineData(null, 2, "cuda:0")]         // cuda when available
    [InlineData("  ", 1, "cuda:0")]
    [InlineData("cpu", 2, "cpu")]         // the variable overrides the automatic choice
    [InlineData(" CPU ", 0, "cpu")]
    [InlineData("CUDA", 1, "cuda:0")]
    [InlineData("cuda:1", 2, "cuda:1")]
    public void ChoosesFromTheVariableThenFromCudaAvailability(string? setting, int cudaDevices, string expected) =>
        Assert.Equal(expected, Devices.Resolve(setting, cudaDevices).ToString());

    [Theory]
    [InlineData("cuda", 0, "CUDA is not available")]
    [InlineData("cuda:0", 0, "CUDA is not available")]
    [InlineData("cuda:2", 2, "sees 2 CUDA device(s): cuda:0, cuda:1")]
    [InlineData("gpu", 1, "expected cpu, cuda or cuda:N")]
    [InlineData("cuda:x", 1, "expected cpu, cuda or cuda:N")]
    public void AnUnusableOrUnknownSettingIsAClearErrorNamingTheVariable(string setting, int cudaDevices, string reason)
    {
        var e = Assert.Throws<InvalidOperationException>(() => Devices.Resolve(setting, cudaDevices));
        Assert.StartsWith($"NORMFREE_DEVICE={setting}", e.Message.Replace("'", ""));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void TheDefaultIsAUsableDevice()
    {
        var device = Devices.default_device;
        Assert.Same(device, device.EnsureAvailable());
        Assert.Equal("cpu", device.ToString()); // TestSetup pins the tests to the CPU
    }

    [Fact]
    public void CudaRequestedWithoutCudaIsAClearInvalidOperationException()
    {
        if (torch.cuda.is_available()) return; // nothing to refuse on a GPU box; the synthetic cases above cover the rule
        var e = Assert.Throws<InvalidOperationException>(() => new Device(DeviceType.CUDA, 0).EnsureAvailable());
        Assert.Contains("cuda:0 requested, but CUDA is not available", e.Message);
        Assert.Contains("NORMFREE_DEVICE=cpu", e.Message); // says what to do instead
    }

    [Fact]
    public void SettingAnUnusableDefaultThrowsAndKeepsTheOldOne()
    {
        var before = Devices.default_device;
        var e = Assert.Throws<InvalidOperationException>(() => Devices.default_device = new Device(AvailableDevices.Unavailable));
        Assert.Contains(AvailableDevices.Unavailable, e.Message);
        Assert.Same(before, Devices.default_device);
    }
}
