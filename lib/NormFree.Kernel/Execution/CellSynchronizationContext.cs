using System.Collections.Concurrent;

namespace NormFree.Kernel.Execution;

/// <summary>A single-threaded synchronization context: continuations posted to it run on the thread that calls
/// <see cref="RunUntilComplete"/>, until <see cref="Complete"/>. Posts arriving after that (from work a cell left
/// running) go to the thread pool.</summary>
sealed class CellSynchronizationContext : SynchronizationContext
{
    readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> queue = [];

    public override void Post(SendOrPostCallback d, object? state)
    {
        try
        {
            if (queue.TryAdd((d, state))) return;
        }
        catch (InvalidOperationException) { } // completed
        ThreadPool.QueueUserWorkItem(_ => d(state));
    }

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("synchronous Send to a notebook cell's thread");

    public override SynchronizationContext CreateCopy() => this;

    public void Complete() => queue.CompleteAdding();

    /// <summary>Ends the context after an abandoned cell: whatever was posted but not run goes to the thread pool.</summary>
    public void Abandon()
    {
        Complete();
        while (queue.TryTake(out var item)) ThreadPool.QueueUserWorkItem(_ => item.Callback(item.State));
    }

    public void RunUntilComplete()
    {
        foreach (var (callback, state) in queue.GetConsumingEnumerable()) callback(state);
    }
}
