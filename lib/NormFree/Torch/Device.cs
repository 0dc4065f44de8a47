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

    /// <summary>This device, after checking that this process can put tensors on it (a CUDA device needs a CUDA build
    /// of libtorch and a visible GPU with that index); otherwise an <see cref="InvalidOperationException"/> that says
    /// what is missing, rather than libtorch's "could not run 'aten::empty' with arguments from the 'CUDA' backend".</summary>
    public Device EnsureAvailable() => EnsureAvailable(torch.cuda.device_count());

    /// <summary><see cref="EnsureAvailable()"/> for a process that sees <paramref name="cudaDevices"/> CUDA devices.</summary>
    internal Device EnsureAvailable(int cudaDevices)
    {
        if (!IsCuda) return this;
        var index = Math.Max(Index, 0);
        if (cudaDevices == 0)
            throw new InvalidOperationException($"device {this} requested, but CUDA is not available here (a CPU-only libtorch " +
                $"{torch.version}, or no GPU visible to this process); use cpu (e.g. {torch.DeviceVariable}=cpu)");
        if (index >= cudaDevices)
            throw new InvalidOperationException($"device {this} requested, but this process sees {cudaDevices} CUDA device(s): " +
                string.Join(", ", Enumerable.Range(0, cudaDevices).Select(i => $"cuda:{i}")));
        return this;
    }

    public override string ToString() => Type == DeviceType.CPU ? "cpu" : $"cuda:{Math.Max(Index, 0)}";

    public static implicit operator Device(string text) => Parse(text);
}
