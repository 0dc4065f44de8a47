namespace NormFree.Kernel.Display;

/// <summary>An output shown by <c>display(obj)</c>; <see cref="Update"/> redraws it in place (a training curve
/// that grows each epoch). Same shape as .NET Interactive's <c>DisplayedValue</c>.</summary>
public sealed class DisplayHandle
{
    readonly IDisplaySink sink;
    readonly string[] mimeTypes;

    internal DisplayHandle(IDisplaySink sink, string displayId, string[] mimeTypes)
    {
        this.sink = sink;
        this.mimeTypes = mimeTypes;
        DisplayId = displayId;
    }

    public string DisplayId { get; }

    /// <summary>Replaces the shown output with <paramref name="value"/>.</summary>
    public void Update(object? value) => sink.Update(DisplayId, DisplayFormatter.Format(value, mimeTypes));

    public override string ToString() => $"display {DisplayId}";
}
