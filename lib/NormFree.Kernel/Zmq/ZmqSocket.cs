namespace NormFree.Kernel.Zmq;

/// <summary>A ZeroMQ socket sending and receiving multipart messages. ZeroMQ sockets are not thread-safe: each is
/// used by one thread, or behind a lock (the kernel's iopub publisher).</summary>
public sealed unsafe class ZmqSocket : IDisposable
{
    IntPtr handle;

    internal ZmqSocket(IntPtr context, int type, string endpoint)
    {
        handle = ZmqNative.zmq_socket(context, type);
        if (handle == IntPtr.Zero) throw new ZmqException(ZmqNative.zmq_errno(), "zmq_socket");
        // Do not block process exit on unsent messages (a reply to a client that went away).
        SetOption(ZmqNative.LINGER, 0);
        // A client that reconnects with the same identity takes over (jupyter_client reuses session identities).
        if (type == ZmqNative.ROUTER) SetOption(ZmqNative.ROUTER_HANDOVER, 1);
        if (ZmqNative.zmq_bind(handle, endpoint) != 0)
            throw new ZmqException(ZmqNative.zmq_errno(), $"cannot bind {endpoint}");
    }

    void SetOption(int option, int value)
    {
        if (ZmqNative.zmq_setsockopt(handle, option, &value, sizeof(int)) != 0)
            throw new ZmqException(ZmqNative.zmq_errno(), $"zmq_setsockopt {option}");
    }

    /// <summary>Sends all frames as one multipart message.</summary>
    public void Send(IReadOnlyList<byte[]> frames)
    {
        for (var i = 0; i < frames.Count; i++)
        {
            var flags = i < frames.Count - 1 ? ZmqNative.SNDMORE : 0;
            fixed (byte* p = frames[i])
                while (ZmqNative.zmq_send(handle, p, (nuint)frames[i].Length, flags) < 0)
                {
                    var error = ZmqNative.zmq_errno();
                    if (error != ZmqNative.EINTR) throw new ZmqException(error, "zmq_send");
                }
        }
    }

    /// <summary>Blocks until a whole multipart message arrives; throws a <see cref="ZmqException"/> with
    /// <see cref="ZmqException.IsTerminated"/> when the context shuts down.</summary>
    public List<byte[]> Receive()
    {
        var frames = new List<byte[]>();
        ZmqNative.Msg msg;
        do
        {
            ZmqNative.zmq_msg_init(&msg);
            while (ZmqNative.zmq_msg_recv(&msg, handle, 0) < 0)
            {
                var error = ZmqNative.zmq_errno();
                if (error != ZmqNative.EINTR) { ZmqNative.zmq_msg_close(&msg); throw new ZmqException(error, "zmq_msg_recv"); }
            }
            frames.Add(new ReadOnlySpan<byte>(ZmqNative.zmq_msg_data(&msg), (int)ZmqNative.zmq_msg_size(&msg)).ToArray());
            var more = ZmqNative.zmq_msg_more(&msg) != 0;
            ZmqNative.zmq_msg_close(&msg);
            if (!more) break;
        } while (true);
        return frames;
    }

    /// <summary>True if a message is waiting (does not block).</summary>
    public bool HasMessage()
    {
        var item = new ZmqNative.PollItem { Socket = handle, Events = ZmqNative.POLLIN };
        var n = ZmqNative.zmq_poll(&item, 1, 0);
        if (n < 0)
        {
            var error = ZmqNative.zmq_errno();
            if (error == ZmqNative.EINTR) return false;
            throw new ZmqException(error, "zmq_poll");
        }
        return (item.Revents & ZmqNative.POLLIN) != 0;
    }

    public void Dispose()
    {
        var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (h != IntPtr.Zero) ZmqNative.zmq_close(h);
    }
}
