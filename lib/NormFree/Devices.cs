namespace NormFree;

/// <summary>Which device runs use unless told otherwise. TorchSharp's own <c>torch.get_default_device()</c> is where
/// factories allocate; this is where the trainer and loaders move models and batches: <c>NORMFREE_DEVICE</c> when set
/// (cpu, cuda, cuda:N), else cuda:0 when CUDA is available, else cpu — chosen once per process. As in PyTorch by
/// default, factories and new modules stay on the CPU until moved (a seeded init is then the same on every device).</summary>
public static class Devices
{
    /// <summary>The environment variable that picks <see cref="default_device"/>.</summary>
    public const string Variable = "NORMFREE_DEVICE";

    static Device? chosen;
    static readonly Lock choosing = new();

    /// <summary>The device runs use; setting it overrides the choice for the rest of the process. A CUDA device
    /// this process cannot use is an <see cref="InvalidOperationException"/> (also when NORMFREE_DEVICE names one).</summary>
    public static Device default_device
    {
        get
        {
            lock (choosing)
                return chosen ??= Resolve(Environment.GetEnvironmentVariable(Variable), torch.cuda.device_count());
        }
        set
        {
            EnsureAvailable(value);
            lock (choosing) chosen = value;
        }
    }

    /// <summary>The device named by a NORMFREE_DEVICE value (null or blank: not set) in a process that sees
    /// <paramref name="cudaDevices"/> CUDA devices.</summary>
    internal static Device Resolve(string? setting, int cudaDevices)
    {
        if (string.IsNullOrWhiteSpace(setting)) return cudaDevices > 0 ? new Device(DeviceType.CUDA, 0) : torch.CPU;
        var requested = Parse(setting) ?? throw new InvalidOperationException($"{Variable}='{setting}': unknown device, expected cpu, cuda or cuda:N");
        try { return EnsureAvailable(requested, cudaDevices); }
        catch (InvalidOperationException e) { throw new InvalidOperationException($"{Variable}={setting}: {e.Message}", e); }
    }

    /// <summary>cpu, cuda or cuda:N as a <see cref="Device"/>, or null. Parsed here rather than by
    /// <c>torch.device(string)</c>, which starts TorchSharp's CUDA backend (and fails with its own message on a CPU
    /// machine) before the check below could say what is wrong.</summary>
    static Device? Parse(string setting)
    {
        var s = setting.Trim().ToLowerInvariant();
        if (s == "cpu") return new Device(DeviceType.CPU);
        if (s == "cuda") return new Device(DeviceType.CUDA, 0);
        return s.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(s.AsSpan(5), out var i) && i >= 0
            ? new Device(DeviceType.CUDA, i)
            : null;
    }

    /// <summary><paramref name="device"/> itself when this process can use it, else an
    /// <see cref="InvalidOperationException"/> that says why (CPU-only libtorch, no GPU visible, index out of range).</summary>
    public static Device EnsureAvailable(this Device device) => EnsureAvailable(device, torch.cuda.device_count());

    internal static Device EnsureAvailable(Device device, int cudaDevices)
    {
        if (device.type != DeviceType.CUDA) return device;
        var index = Math.Max(device.index, 0);
        if (cudaDevices == 0)
            throw new InvalidOperationException($"device {device} requested, but CUDA is not available here (a CPU-only " +
                $"libtorch, or no GPU visible to this process); use cpu (e.g. {Variable}=cpu)");
        if (index >= cudaDevices)
            throw new InvalidOperationException($"device {device} requested, but this process sees {cudaDevices} CUDA device(s): " +
                string.Join(", ", Enumerable.Range(0, cudaDevices).Select(i => $"cuda:{i}")));
        return device;
    }
}
