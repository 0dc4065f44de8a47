using System.Runtime.InteropServices;
using System.Text;

namespace NormFree.Kernel.Execution;

/// <summary>Routes what native code writes to file descriptor 1 or 2 (libtorch's warnings through std::cerr, OpenMP's
/// messages) into the notebook as well: the descriptor becomes a pipe whose reader thread hands the text to the
/// cell's <see cref="StreamOutput"/> and copies it to the original descriptor (the terminal or log of whoever started
/// the kernel). Managed <c>Console</c> output does not pass here: the kernel replaces <c>Console.Out</c> and
/// <c>Console.Error</c> directly.</summary>
public sealed class NativeOutputCapture
{
    readonly int original, pipeRead;
    readonly object forwarding = new();

    /// <summary>Starts capturing <paramref name="fd"/> into <paramref name="target"/>.</summary>
    public unsafe NativeOutputCapture(int fd, TextWriter target)
    {
        var ends = stackalloc int[2];
        original = dup(fd);
        if (original < 0 || pipe(ends) != 0 || dup2(ends[1], fd) < 0)
            throw new IOException($"cannot capture file descriptor {fd} (errno {Marshal.GetLastPInvokeError()})");
        close(ends[1]);
        pipeRead = ends[0];
        new Thread(() => Pump(target)) { Name = $"fd{fd}", IsBackground = true }.Start();
    }

    /// <summary>The descriptor as it was before the capture (for the kernel's own log).</summary>
    public Stream Original => new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(original, ownsHandle: false), FileAccess.Write);

    /// <summary>Waits (briefly) until what native code wrote so far has been handed on, so a cell's last native
    /// output goes out with the cell rather than after it.</summary>
    public unsafe void Drain()
    {
        int pending;
        for (var waited = 0; waited < 200 && ioctl(pipeRead, FIONREAD, &pending) == 0 && pending > 0; waited++) Thread.Sleep(1);
        lock (forwarding) { }
    }

    unsafe void Pump(TextWriter target)
    {
        var buffer = new byte[8192];
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        while (true)
        {
            nint n;
            fixed (byte* p = buffer) n = read(pipeRead, p, buffer.Length);
            if (n < 0 && Marshal.GetLastPInvokeError() == EINTR) continue;
            if (n <= 0) return;
            lock (forwarding)
            {
                fixed (byte* p = buffer) write(original, p, (nint)n);
                var count = decoder.GetChars(buffer, 0, (int)n, chars, 0);
                target.Write(chars, 0, count);
            }
        }
    }

    const int EINTR = 4;
    /// <summary>ioctl request for the bytes waiting in a pipe (asm-generic/ioctls.h).</summary>
    const ulong FIONREAD = 0x541B;
    [DllImport("libc", SetLastError = true)] static extern unsafe int ioctl(int fd, ulong request, int* count);
    [DllImport("libc", SetLastError = true)] static extern unsafe int pipe(int* fds);
    [DllImport("libc", SetLastError = true)] static extern int dup(int fd);
    [DllImport("libc", SetLastError = true)] static extern int dup2(int fd, int fd2);
    [DllImport("libc", SetLastError = true)] static extern int close(int fd);
    [DllImport("libc", SetLastError = true)] static extern unsafe nint read(int fd, byte* buffer, nint count);
    [DllImport("libc", SetLastError = true)] static extern unsafe nint write(int fd, byte* buffer, nint count);
}
