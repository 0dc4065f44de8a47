namespace NormFree.Torch;

public static partial class torch
{
    /// <summary>The environment variable that picks <see cref="default_device"/>: cpu, cuda or cuda:N.</summary>
    public const string DeviceVariable = "NORMFREE_DEVICE";

    static Device? defaultDevice;
    static readonly Lock defaultDeviceLock = new();

    /// <summary>The device runs use unless told otherwise (<see cref="NormFree.Training.TrainConfig.Device"/> defaults to it),
    /// chosen once per process: <c>NORMFREE_DEVICE</c> when set, else cuda:0 when CUDA is available, else cpu. Setting
    /// it overrides that choice for the rest of the process; a single call picks its own device through its
    /// <c>device</c> argument. A CUDA device that this process cannot use is an <see cref="InvalidOperationException"/>
    /// (also when <c>NORMFREE_DEVICE</c> asks for one).
    /// <para>NOTE: unlike <c>torch.set_default_device</c> in PyTorch 2.x, factories (<c>torch.zeros</c>, ...) and new
    /// modules stay on the CPU, as in PyTorch by default; a model goes to this device when a <see cref="NormFree.Training.Trainer"/>
    /// or <c>model.to(torch.default_device)</c> moves it.</para></summary>
    public static Device default_device
    {
        get
        {
            lock (defaultDeviceLock)
                return defaultDevice ??= ResolveDevice(Environment.GetEnvironmentVariable(DeviceVariable), cuda.device_count());
        }
        set
        {
            value.EnsureAvailable();
            lock (defaultDeviceLock) defaultDevice = value;
        }
    }

    /// <summary>The default device from the value of <c>NORMFREE_DEVICE</c> (null or blank: not set) for a process that
    /// sees <paramref name="cudaDevices"/> CUDA devices.</summary>
    internal static Device ResolveDevice(string? setting, int cudaDevices)
    {
        if (string.IsNullOrWhiteSpace(setting)) return cudaDevices > 0 ? Device.CUDA(0) : Device.CPU;
        Device requested;
        try { requested = Device.Parse(setting); }
        catch (FormatException e) { throw new InvalidOperationException($"{DeviceVariable}='{setting}': {e.Message}", e); }
        try { return requested.EnsureAvailable(cudaDevices); }
        catch (InvalidOperationException e) { throw new InvalidOperationException($"{DeviceVariable}={setting}: {e.Message}", e); }
    }
}
