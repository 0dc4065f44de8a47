using System.Diagnostics;
using Microsoft.DotNet.Interactive.Events;
using NormFree.Kernel.Display;

namespace NormFree.Kernel.Execution;

/// <summary>Runs cells on the C# engine one at a time, interrupts them, and replaces the engine when an interrupted
/// cell does not stop. An interrupt cancels the cell's token (<c>InterruptToken</c>, the library's
/// <c>Interrupt.Token</c>) and the engine's submission: code that awaits or checks a token stops, and the engine
/// keeps its state. Code that checks nothing and never awaits (a tight loop, a long sleep) goes on running on the
/// engine's thread, and every later cell would wait behind it forever; when it still holds that thread
/// <see cref="StopGrace"/> after the interrupt, the engine is abandoned and a fresh one takes its place (earlier cells'
/// state is lost, and the abandoned code runs on in the background until the process ends: .NET cannot stop a
/// thread).</summary>
public sealed class EngineSupervisor : IDisposable
{
    /// <summary>How long interrupted code has to stop before the engine is replaced: long enough for a cell that
    /// was still compiling on a busy machine (its code then sees the cancelled token) not to cost the state.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    readonly Action<KernelEvent> onEvent;
    readonly LibraryInterrupt libraryInterrupt = new();
    readonly object gate = new();
    CSharpEngine engine;
    CancellationTokenSource? running;
    Stopwatch? sinceInterrupt;

    /// <param name="onEvent">receives the engine's events (see <see cref="CSharpEngine"/>).</param>
    public EngineSupervisor(Action<KernelEvent> onEvent)
    {
        this.onEvent = onEvent;
        Display.DefaultFormatting.Apply();
        engine = Start();
    }

    /// <summary>The engine serving cells now (for completions and hover text).</summary>
    public CSharpEngine Engine => engine;

    CSharpEngine Start()
    {
        var started = new CSharpEngine(onEvent);
        // Loads and compiles the engine (1-3 s) while the client connects; the first cell queues behind it.
        _ = started.Submit("0", CancellationToken.None);
        return started;
    }

    /// <summary>Runs <paramref name="code"/> and blocks until it ends, is interrupted, or the engine is replaced.</summary>
    public CellOutcome Run(string code)
    {
        using var cts = new CancellationTokenSource();
        lock (gate)
        {
            running = cts;
            sinceInterrupt = null;
        }
        CellGlobals.InterruptToken = cts.Token;
        libraryInterrupt.Set(cts.Token);
        var current = engine;
        try
        {
            var submission = current.Submit(code, cts.Token);
            // Waits for the submission, then (if interrupted) for its code to leave the engine.
            while (!submission.IsCompleted || (Interrupted && current.IsHoldingThread))
            {
                if (Interrupted && sinceInterrupt!.Elapsed > StopGrace && current.IsHoldingThread)
                {
                    Replace(current);
                    return new CellOutcome(null, Interrupted: true, EngineRestarted: true);
                }
                Task.WaitAny([submission], Poll);
            }
            return submission.IsCompletedSuccessfully
                ? new CellOutcome(submission.Result, Interrupted, EngineRestarted: false)
                // A submission cancelled by the interrupt ends as a cancelled task, not as a result.
                : new CellOutcome(null, Interrupted, EngineRestarted: false, Interrupted ? null : submission.Exception?.InnerException);
        }
        finally
        {
            lock (gate) running = null;
        }
    }

    bool Interrupted
    {
        get { lock (gate) return sinceInterrupt is not null; }
    }

    /// <summary>Interrupts the running cell, if any (from the control thread or the SIGINT handler).</summary>
    public void Interrupt()
    {
        CancellationTokenSource? cts;
        lock (gate)
        {
            cts = running;
            if (cts is null) return;
            sinceInterrupt ??= Stopwatch.StartNew();
        }
        try { cts.Cancel(); } catch (ObjectDisposedException) { }
    }

    void Replace(CSharpEngine stuck)
    {
        engine = Start();
        stuck.Dispose();
    }

    public void Dispose() => engine.Dispose();
}
