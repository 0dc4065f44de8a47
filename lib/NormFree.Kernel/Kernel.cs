using System.Runtime.InteropServices;
using System.Text;

namespace NormFree.Kernel;

/// <summary>A Jupyter kernel (messaging protocol 5.3) for C#, whose cells run on .NET Interactive's C# engine hosted
/// in this process (<see cref="EngineSupervisor"/>). Five ZeroMQ sockets from the connection file:
/// heartbeat (REP, echoes), shell and control (ROUTER, requests and replies), iopub (PUB, outputs and status),
/// stdin (ROUTER, bound but unused: cells get no input). Each socket has one thread; iopub is shared behind a lock.
/// Shell requests run one at a time (a cell blocks the shell, as in ipykernel); control stays responsive for
/// interrupt and shutdown while a cell runs.</summary>
public sealed partial class Kernel
{
    readonly Wire wire;
    readonly string session = Guid.NewGuid().ToString();
    readonly ZmqContext context = new();
    readonly ZmqSocket shell, control, iopub, stdin, heartbeat;
    readonly object iopubGate = new();
    readonly ManualResetEventSlim exiting = new();
    readonly EngineSupervisor cells;
    readonly StreamOutput stdout, stderr;
    readonly NativeOutputCapture nativeOut, nativeErr;
    readonly TextWriter log;
    volatile string parentHeader = "{}";
    int executionCount;

    public Kernel(ConnectionFile connection)
    {
        wire = new Wire(connection.Key);
        heartbeat = context.Bind(ZmqNative.REP, connection.Endpoint(connection.HbPort));
        iopub = context.Bind(ZmqNative.PUB, connection.Endpoint(connection.IopubPort));
        shell = context.Bind(ZmqNative.ROUTER, connection.Endpoint(connection.ShellPort));
        control = context.Bind(ZmqNative.ROUTER, connection.Endpoint(connection.ControlPort));
        stdin = context.Bind(ZmqNative.ROUTER, connection.Endpoint(connection.StdinPort));
        stdout = new StreamOutput("stdout", PublishStream);
        stderr = new StreamOutput("stderr", PublishStream);
        nativeOut = new NativeOutputCapture(1, stdout);
        nativeErr = new NativeOutputCapture(2, stderr);
        log = new StreamWriter(nativeErr.Original) { AutoFlush = true };
        cells = new EngineSupervisor(OnEngineEvent);
    }

    /// <summary>Serves until a shutdown request, SIGTERM, or the parent process (the Jupyter client) going away;
    /// returns the exit code.</summary>
    public int Run()
    {
        Console.SetOut(stdout);
        Console.SetError(stderr);
        Console.SetIn(TextReader.Null);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; cells.Interrupt(); });
        using var parentWatch = WatchParent();
        Publish("status", new JsonObject { ["execution_state"] = "starting" });
        Thread[] threads =
        [
            Serve("heartbeat", heartbeat, frames => heartbeat.Send(frames)),
            Serve("control", control, frames => Dispatch(control, frames)),
            Serve("shell", shell, frames => Dispatch(shell, frames)),
        ];
        exiting.Wait();
        FlushOutput();
        context.Shutdown();
        // A thread still inside a running cell cannot be stopped; the process exit ends it.
        var stopped = threads.All(t => t.Join(TimeSpan.FromSeconds(2)));
        lock (iopubGate) iopub.Dispose();
        stdin.Dispose();
        if (stopped) context.Dispose();
        return 0;
    }

    /// <summary>A thread that receives on <paramref name="socket"/> until the context shuts down, then closes it.</summary>
    Thread Serve(string name, ZmqSocket socket, Action<List<byte[]>> handle)
    {
        var thread = new Thread(() =>
        {
            try
            {
                while (true) handle(socket.Receive());
            }
            catch (ZmqException e) when (e.IsTerminated) { }
            catch (Exception e)
            {
                log.WriteLine($"[normfree kernel] {name} socket failed: {e}");
                exiting.Set();
            }
            finally { socket.Dispose(); }
        }) { Name = name, IsBackground = true };
        thread.Start();
        return thread;
    }

    /// <summary>Exits when the parent process goes away (the client was killed), as ipykernel's parent poller does,
    /// so no kernel outlives its notebook run: when the process is re-parented, or when the client that
    /// jupyter_client names in <c>JPY_PARENT_PID</c> no longer exists (it may die before this kernel has started).</summary>
    IDisposable WatchParent()
    {
        var parent = getppid();
        var client = int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out var pid) ? pid : 0;
        return new Timer(_ =>
        {
            if (getppid() != parent || (client > 0 && kill(client, 0) != 0 && Marshal.GetLastPInvokeError() == ESRCH)) exiting.Set();
        }, null, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    const int ESRCH = 3;
    [DllImport("libc")] static extern int getppid();
    [DllImport("libc", SetLastError = true)] static extern int kill(int pid, int signal);

    // ---- iopub ---------------------------------------------------------------------------------------------

    /// <summary>Publishes on iopub as a child of <paramref name="parent"/> (a header's JSON), by default of the shell
    /// request being served, whose outputs these are.</summary>
    void Publish(string msgType, JsonObject content, string? parent = null)
    {
        var parentObject = JsonNode.Parse(parent ?? parentHeader) as JsonObject ?? [];
        var message = new Message([Encoding.UTF8.GetBytes(msgType)], Message.NewHeader(msgType, session), parentObject, [], content, []);
        lock (iopubGate) iopub.Send(wire.Encode(message));
    }

    /// <summary>Sends what was written so far, from managed and native code.</summary>
    void FlushOutput()
    {
        nativeOut.Drain();
        nativeErr.Drain();
        stdout.Flush();
        stderr.Flush();
    }

    void PublishStream(string name, string text) => Publish("stream", new JsonObject { ["name"] = name, ["text"] = text });

    void PublishDisplay(string msgType, string displayId, JsonObject data)
    {
        // What the cell printed before the display comes before it.
        FlushOutput();
        Publish(msgType, new JsonObject { ["data"] = data, ["metadata"] = new JsonObject(), ["transient"] = new JsonObject { ["display_id"] = displayId } });
    }

    void Reply(ZmqSocket socket, Message request, string msgType, JsonObject content) =>
        socket.Send(wire.Encode(new Message(request.Identities, Message.NewHeader(msgType, session), request.Header, [], content, [])));
}
