using System.Runtime.InteropServices;

namespace NormFree.Torch;

/// <summary>An error raised inside libtorch (bad shape, wrong dtype, index out of range, ...), carrying
/// libtorch's own message. The process and every other tensor stay usable.</summary>
public class TorchException : Exception
{
    public TorchException(string message) : base(message) { }

    /// <summary>The exception for a libtorch error message: <see cref="TorchOutOfMemoryException"/> when the allocator
    /// ran out of memory, a plain <see cref="TorchException"/> otherwise.</summary>
    public static TorchException FromMessage(string message) =>
        TorchOutOfMemoryException.Recognizes(message) ? new TorchOutOfMemoryException(message) : new TorchException(message);

    internal static string LastError() => Marshal.PtrToStringUTF8(Native.nf_last_error()) ?? "unknown libtorch error";

    internal static void Check(int code)
    {
        if (code < 0) throw FromMessage(LastError());
    }

    internal static IntPtr Check(IntPtr handle)
    {
        if (handle == IntPtr.Zero) throw FromMessage(LastError());
        return handle;
    }
}
