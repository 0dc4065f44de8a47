using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace NormFree.Kernel.Display;

/// <summary>What every cell can call without a <c>using</c> (the engine imports this type with <c>using static</c>
/// at start): <c>display(obj)</c>, <c>HTML("...")</c> and the cell's interrupt token. They take the place of .NET
/// Interactive's <c>Kernel.display</c>/<c>Kernel.HTML</c> helpers with the same shapes, so notebooks run under both;
/// the difference is that <c>display(x).Update(y)</c> here redraws the output it returned (the package's own
/// <c>display</c> publishes one display id and returns a value carrying another, so updates never land).</summary>
public static class CellGlobals
{
    /// <summary>Shows <paramref name="value"/> below the cell, formatted by .NET Interactive's <c>Formatter</c>
    /// (restricted to <paramref name="mimeTypes"/> if given), and returns it: <c>Update(newValue)</c> redraws it in
    /// place (a training curve that grows each epoch) under the same display id.</summary>
    public static DisplayedValue display(object? value, params string[] mimeTypes)
    {
        // The invocation context publishes the DisplayedValue it returns, so the id shown is the id updated.
        if (KernelInvocationContext.Current is { } context) return context.Display(value!, mimeTypes);
        return value.Display(mimeTypes);
    }

    /// <summary>Marks a string as HTML to show as is: <c>display(HTML("&lt;b&gt;ok&lt;/b&gt;"))</c>.</summary>
    public static IHtmlContent HTML(string html) => html.ToHtmlContent();

    /// <summary>Cancelled when the user interrupts the running cell (the same token library loops see as
    /// <c>NormFree.Notebooks.Interrupt.Token</c>). Ours only: notebooks that must also run under .NET Interactive
    /// use the library's token.</summary>
    public static CancellationToken InterruptToken { get; internal set; }
}
