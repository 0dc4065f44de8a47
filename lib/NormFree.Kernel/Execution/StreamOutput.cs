using System.Text;

namespace NormFree.Kernel.Execution;

/// <summary>A <see cref="TextWriter"/> behind <c>Console.Out</c>/<c>Console.Error</c> that sends what a cell writes
/// as Jupyter <c>stream</c> messages, batched: text goes out <see cref="BatchDelay"/> after the first unsent
/// character (or at once past <see cref="MaxPending"/> characters), so a training loop's progress shows live
/// without one message per <c>Write</c>.</summary>
public sealed class StreamOutput : TextWriter
{
    static readonly TimeSpan BatchDelay = TimeSpan.FromMilliseconds(50);
    const int MaxPending = 1 << 16;

    readonly string name;
    readonly Action<string, string> publish;
    readonly StringBuilder pending = new();
    readonly Timer timer;

    /// <param name="name"><c>stdout</c> or <c>stderr</c>.</param>
    /// <param name="publish">sends (name, text) on iopub.</param>
    public StreamOutput(string name, Action<string, string> publish)
    {
        this.name = name;
        this.publish = publish;
        timer = new Timer(_ => Flush());
    }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (pending) Added(pending.Append(value));
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        lock (pending) Added(pending.Append(value));
    }

    public override void Write(char[] buffer, int index, int count)
    {
        if (count == 0) return;
        lock (pending) Added(pending.Append(buffer, index, count));
    }

    void Added(StringBuilder text)
    {
        if (text.Length >= MaxPending) Flush();
        else if (text.Length > 0) timer.Change(BatchDelay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Sends what is pending now (before a display, an execute_result, the end of a cell).</summary>
    public override void Flush()
    {
        // Publishing under the lock keeps the order of concurrent writers.
        lock (pending)
        {
            if (pending.Length == 0) return;
            var text = pending.ToString();
            pending.Clear();
            publish(name, text);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) timer.Dispose();
        base.Dispose(disposing);
    }
}
