using System.Runtime.InteropServices;

namespace NormFree.Torch;

/// <summary>An error raised inside libtorch (bad shape, wrong dtype, index out of range, ...), carrying
/// libtorch's own message. The process and every other tensor stay usable.</summary>
public class TorchException : Exception
{
    public TorchException(string message) : base(message) { }

    internal static string LastError() => Marshal.PtrToStringUTF8(Native.nf_last_error()) ?? "unknown libtorch error";

    /// <summary>The exception for libtorch's message: <see cref="TorchOutOfMemoryException"/> when it says memory ran
    /// out, so a caller can catch that one (e.g. to retry with a smaller batch) and let the rest propagate.</summary>
    internal static TorchException FromNative(string message) =>
        TorchOutOfMemoryException.Matches(message) ? new TorchOutOfMemoryException(message) : new TorchException(message);

    internal static void Check(int code)
    {
        if (code < 0) throw FromNative(LastError());
    }

    internal static IntPtr Check(IntPtr handle)
    {
        if (handle == IntPtr.Zero) throw FromNative(LastError());
        return handle;
    }
}

/// <summary>libtorch could not allocate memory: "CUDA out of memory. Tried to allocate ..." on a GPU,
/// "DefaultCPUAllocator: can't allocate memory" / "not enough memory" on the CPU, or cuBLAS/cuDNN failing to
/// allocate their workspace. libtorch has no stable exception type for this across 1.13 and 2.x, so the message
/// decides.</summary>
public sealed class TorchOutOfMemoryException(string message) : TorchException(message)
{
    static readonly string[] Signs =
    [
        "out of memory", "can't allocate memory", "not enough memory", "CUBLAS_STATUS_ALLOC_FAILED", "CUDNN_STATUS_ALLOC_FAILED",
    ];

    internal static bool Matches(string message) => Signs.Any(s => message.Contains(s, StringComparison.OrdinalIgnoreCase));
}
