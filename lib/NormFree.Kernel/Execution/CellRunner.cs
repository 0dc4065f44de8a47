using System.Collections.Concurrent;

namespace NormFree.Kernel.Execution;

/// <summary>Runs cells one at a time on one dedicated thread, with a synchronization context that brings every
/// <c>await</c> continuation of the cell back to that thread (cells see one thread, as in a REPL, and an interrupt
/// knows which thread to wake). Interrupting cancels the cell's token first (cooperative: library loops poll
/// <c>NormFree.Notebooks.Interrupt.Token</c>); if the cell is still running after <see cref="GracePeriod"/>, the
/// thread is interrupted, which ends a cell blocked in a sleep, wait or join.</summary>
public sealed class CellRunner
{
    /// <summary>How long a cell has to honour its cancelled token before its thread is interrupted.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(1);

    readonly BlockingCollection<Action> jobs = [];
    readonly Thread thread;
    readonly object gate = new();
    CancellationTokenSource? running;

    public CellRunner()
    {
        thread = new Thread(Loop) { Name = "cell", IsBackground = true };
        thread.Start();
    }

    /// <summary>Called on the cell thread with each cell's token before the cell starts.</summary>
    public event Action<CancellationToken>? CellStarting;

    /// <summary>Runs <paramref name="cell"/> on the cell thread and blocks until it finishes. Returns the cell's
    /// task (completed, faulted or cancelled), or null if the cell was abandoned by a thread interrupt while it was
    /// awaiting; <paramref name="interrupted"/> says whether the user interrupted it.</summary>
    public Task<T>? Run<T>(Func<CancellationToken, Task<T>> cell, out bool interrupted)
    {
        using var done = new ManualResetEventSlim();
        Task<T>? result = null;
        var wasInterrupted = false;
        jobs.Add(() =>
        {
            using var cts = new CancellationTokenSource();
            lock (gate) running = cts;
            var context = new CellSynchronizationContext();
            try
            {
                SynchronizationContext.SetSynchronizationContext(context);
                CellStarting?.Invoke(cts.Token);
                var task = cell(cts.Token);
                task.ContinueWith(_ => context.Complete(), TaskScheduler.Default);
                context.RunUntilComplete();
                result = task;
            }
            catch (ThreadInterruptedException)
            {
                // Interrupted while waiting for the cell's awaited work: the cell is abandoned.
            }
            finally
            {
                lock (gate) running = null;
                wasInterrupted = cts.IsCancellationRequested;
                ClearPendingInterrupt();
                SynchronizationContext.SetSynchronizationContext(null);
                context.Abandon();
                done.Set();
            }
        });
        done.Wait();
        interrupted = wasInterrupted;
        return result;
    }

    /// <summary>Interrupts the running cell, if any (from the control thread or a SIGINT handler).</summary>
    public void Interrupt()
    {
        CancellationTokenSource? cts;
        lock (gate) cts = running;
        if (cts is null) return;
        try { cts.Cancel(); } catch (ObjectDisposedException) { return; }
        _ = Task.Delay(GracePeriod).ContinueWith(_ =>
        {
            lock (gate) if (running == cts) thread.Interrupt();
        }, TaskScheduler.Default);
    }

    void Loop()
    {
        foreach (var job in jobs.GetConsumingEnumerable()) job();
    }

    /// <summary>An interrupt that arrived just as the cell finished stays pending on the thread; consume it so it
    /// cannot hit the next cell.</summary>
    static void ClearPendingInterrupt()
    {
        try { Thread.Sleep(0); } catch (ThreadInterruptedException) { }
    }
}
