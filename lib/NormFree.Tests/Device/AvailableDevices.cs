namespace NormFree.Tests.DeviceAware;

/// <summary>The devices a device-aware test runs on: cpu, and every CUDA device when this process sees one. The CPU
/// row goes through the same code as a GPU row — the device is passed in, never assumed.</summary>
public static class AvailableDevices
{
    public static TheoryData<string> All
    {
        get
        {
            var devices = new TheoryData<string> { "cpu" };
            for (var i = 0; i < torch.cuda.device_count(); i++) devices.Add($"cuda:{i}");
            return devices;
        }
    }

    /// <summary>A CUDA device this process cannot use, whatever the machine: one past the last.</summary>
    public static string Unavailable => $"cuda:{torch.cuda.device_count()}";

    /// <summary>Asserts that <paramref name="t"/> lives on <paramref name="device"/>.</summary>
    public static void AssertOn(Device device, Tensor t) => Assert.Equal(device.ToString(), t.device.ToString());
}
