namespace NormFree.Kernel.Zmq;

/// <summary>A ZeroMQ context: owns the I/O thread; <see cref="Shutdown"/> makes every blocking call on its sockets
/// return with ETERM, which is how the kernel's socket threads stop.</summary>
public sealed class ZmqContext : IDisposable
{
    IntPtr handle = ZmqNative.zmq_ctx_new();

    public ZmqSocket Bind(int type, string endpoint) =>
        new(handle != IntPtr.Zero ? handle : throw new ObjectDisposedException(nameof(ZmqContext)), type, endpoint);

    public void Shutdown()
    {
        if (handle != IntPtr.Zero) ZmqNative.zmq_ctx_shutdown(handle);
    }

    /// <summary>Terminates the context; all its sockets must be closed first or this blocks.</summary>
    public void Dispose()
    {
        var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (h != IntPtr.Zero) ZmqNative.zmq_ctx_term(h);
    }
}
