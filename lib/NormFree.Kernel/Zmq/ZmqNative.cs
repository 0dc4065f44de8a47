using System.Runtime.InteropServices;

namespace NormFree.Kernel.Zmq;

/// <summary>The part of libzmq's C API (zmq.h, libzmq 4.x; Debian's libzmq5) the kernel uses.</summary>
internal static unsafe partial class ZmqNative
{
    const string Lib = "libzmq.so.5";

    // Socket types, options and flags from zmq.h.
    public const int PUB = 1, REP = 4, ROUTER = 6;
    public const int LINGER = 17, RCVMORE = 13, ROUTER_HANDOVER = 56;
    public const int DONTWAIT = 1, SNDMORE = 2;
    public const short POLLIN = 1;
    public const int EINTR = 4, EAGAIN = 11;
    /// <summary>ZMQ_HAUSNUMERO (156384712) + 53: the context was shut down.</summary>
    public const int ETERM = 156384765;

    /// <summary>zmq_msg_t is an opaque 64-byte, pointer-aligned block.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 64)]
    public struct Msg { long alignment; }

    [StructLayout(LayoutKind.Sequential)]
    public struct PollItem
    {
        public IntPtr Socket;
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Lib)] public static partial IntPtr zmq_ctx_new();
    [LibraryImport(Lib)] public static partial int zmq_ctx_shutdown(IntPtr context);
    [LibraryImport(Lib)] public static partial int zmq_ctx_term(IntPtr context);
    [LibraryImport(Lib)] public static partial IntPtr zmq_socket(IntPtr context, int type);
    [LibraryImport(Lib)] public static partial int zmq_close(IntPtr socket);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial int zmq_bind(IntPtr socket, string endpoint);
    [LibraryImport(Lib)] public static partial int zmq_setsockopt(IntPtr socket, int option, void* value, nuint length);
    [LibraryImport(Lib)] public static partial int zmq_getsockopt(IntPtr socket, int option, void* value, nuint* length);
    [LibraryImport(Lib)] public static partial int zmq_send(IntPtr socket, void* buffer, nuint length, int flags);
    [LibraryImport(Lib)] public static partial int zmq_msg_init(Msg* message);
    [LibraryImport(Lib)] public static partial int zmq_msg_recv(Msg* message, IntPtr socket, int flags);
    [LibraryImport(Lib)] public static partial void* zmq_msg_data(Msg* message);
    [LibraryImport(Lib)] public static partial nuint zmq_msg_size(Msg* message);
    [LibraryImport(Lib)] public static partial int zmq_msg_more(Msg* message);
    [LibraryImport(Lib)] public static partial int zmq_msg_close(Msg* message);
    [LibraryImport(Lib)] public static partial int zmq_poll(PollItem* items, int count, long timeoutMs);
    [LibraryImport(Lib)] public static partial int zmq_errno();
    [LibraryImport(Lib)] public static partial IntPtr zmq_strerror(int error);

    public static string Error(int error) => Marshal.PtrToStringUTF8(zmq_strerror(error)) ?? $"zmq error {error}";
}
