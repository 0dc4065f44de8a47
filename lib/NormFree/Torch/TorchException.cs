using System.Runtime.InteropServices;

namespace NormFree.Torch;

/// <summary>An error raised inside libtorch (bad shape, wrong dtype, index out of range, ...), carrying
/// libtorch's own message. The process and every other tensor stay usable.</summary>
public sealed class TorchException : Exception
{
    public TorchException(string message) : base(message) { }

    internal static string LastError() => Marshal.PtrToStringUTF8(Native.nf_last_error()) ?? "unknown libtorch error";

    internal static void Check(int code)
    {
        if (code < 0) throw new TorchException(LastError());
    }

    internal static IntPtr Check(IntPtr handle)
    {
        if (handle == IntPtr.Zero) throw new TorchException(LastError());
        return handle;
    }
}
