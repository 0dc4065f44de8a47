namespace NormFree.Kernel.Zmq;

public sealed class ZmqException(int error, string what) : Exception($"{what}: {ZmqNative.Error(error)}")
{
    public int Error { get; } = error;

    /// <summary>The context was shut down: the kernel is exiting and the socket's thread should stop.</summary>
    public bool IsTerminated => Error == ZmqNative.ETERM;
}
