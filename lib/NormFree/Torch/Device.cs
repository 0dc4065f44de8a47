namespace NormFree.Torch;

/// <summary>Device types; the values are c10::DeviceType's.</summary>
public enum DeviceType { CPU = 0, CUDA = 1 }

/// <summary>Where a tensor lives: <c>cpu</c> or <c>cuda:N</c>.</summary>
public readonly record struct Device(DeviceType Type, int Index = -1)
{
    public static readonly Device CPU = new(DeviceType.CPU);
    public static Device CUDA(int index = 0) => new(DeviceType.CUDA, index);

    public bool IsCuda => Type == DeviceType.CUDA;

    /// <summary>Parses "cpu", "cuda" or "cuda:N".</summary>
    public static Device Parse(string text)
    {
        var s = text.Trim().ToLowerInvariant();
        if (s == "cpu") return CPU;
        if (s == "cuda") return CUDA(0);
        if (s.StartsWith("cuda:") && int.TryParse(s.AsSpan(5), out var i) && i >= 0) return CUDA(i);
        throw new FormatException($"unknown device '{text}': expected cpu, cuda or cuda:N");
    }

    /// <summary>Chooses the process's default device (see <see cref="torch.default_device"/>): <paramref name="requested"/>
    /// (the value of NORMFREE_DEVICE) when given, else cuda:0 when a GPU is visible, else cpu.</summary>
    public static Device ChooseDefault(string? requested, int cudaDevices)
    {
        if (string.IsNullOrWhiteSpace(requested)) return cudaDevices > 0 ? CUDA(0) : CPU;
        Device device;
        try { device = Parse(requested); }
        catch (FormatException e) { throw new FormatException($"{torch.DeviceVariable}='{requested}': {e.Message}"); }
        device.EnsureAvailable(cudaDevices, $"{torch.DeviceVariable}={requested}: ");
        return device;
    }

    static int? cudaDevices;
    static int CudaDevices => cudaDevices ??= torch.cuda.device_count();

    /// <summary>Throws a clear error for a CUDA device this process cannot use, before libtorch answers with a dump of
    /// its dispatcher's backends.</summary>
    internal void EnsureAvailable() => EnsureAvailable(Type == DeviceType.CUDA ? CudaDevices : 0, "");

    void EnsureAvailable(int visible, string context)
    {
        if (Type != DeviceType.CUDA || Math.Max(Index, 0) < visible) return;
        throw new TorchException(context + (visible == 0
            ? $"{this} requested, but CUDA is not available here (a libtorch without CUDA, or no GPU visible); use cpu"
            : $"{this} requested, but only {visible} CUDA device(s) are visible"));
    }

    public override string ToString() => Type == DeviceType.CPU ? "cpu" : $"cuda:{Math.Max(Index, 0)}";

    public static implicit operator Device(string text) => Parse(text);
}
