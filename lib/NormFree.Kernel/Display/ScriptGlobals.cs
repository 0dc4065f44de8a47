namespace NormFree.Kernel.Display;

/// <summary>What every cell can call without a <c>using</c>: <c>display(obj)</c>, <c>HTML("...")</c> and the
/// cell's interrupt token. <c>display</c> and <c>HTML</c> match .NET Interactive's, so notebooks run there too.</summary>
public sealed class ScriptGlobals(IDisplaySink sink)
{
    /// <summary>Shows <paramref name="value"/> below the cell, formatted through its type's formatter source
    /// (restricted to <paramref name="mimeTypes"/> if given), and returns a handle to update it in place.</summary>
    public DisplayHandle display(object? value, params string[] mimeTypes)
    {
        var handle = new DisplayHandle(sink, Guid.NewGuid().ToString("N"), mimeTypes);
        sink.Display(handle.DisplayId, DisplayFormatter.Format(value, mimeTypes));
        return handle;
    }

    /// <summary>Marks a string as HTML to show as is: <c>display(HTML("&lt;b&gt;ok&lt;/b&gt;"))</c>.</summary>
    public HtmlString HTML(string html) => new(html);

    /// <summary>Cancelled when the user interrupts the running cell (the same token library loops see as
    /// <c>NormFree.Notebooks.Interrupt.Token</c>).</summary>
    public CancellationToken InterruptToken { get; internal set; }
}
