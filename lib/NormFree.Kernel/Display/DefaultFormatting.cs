using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace NormFree.Kernel.Display;

/// <summary>How the kernel sets .NET Interactive's <c>Formatter</c> up, and the place to register more formatters.
/// Everything shown goes through <c>Formatter</c>, so a formatter registered anywhere (here, in the library, in a cell
/// or in a NuGet package's kernel extension) applies: <c>Formatter.Register&lt;T&gt;(...)</c> for a rendering,
/// <c>Formatter.SetPreferredMimeTypesFor(typeof(T), ...)</c> for which renderings an output carries. Types that
/// declare a <c>[TypeFormatterSource]</c> (the library's tables) are found by the formatter itself.</summary>
public static class DefaultFormatting
{
    static readonly Type[] PlainTypes =
    [
        typeof(bool), typeof(char), typeof(sbyte), typeof(byte), typeof(short), typeof(ushort), typeof(int), typeof(uint),
        typeof(long), typeof(ulong), typeof(nint), typeof(nuint), typeof(Half), typeof(float), typeof(double), typeof(decimal),
    ];

    const string HtmlMimeType = "text/html";

    static bool applied;

    /// <summary>Sets the defaults once per process (the formatter is process-wide and survives engine restarts).</summary>
    public static void Apply()
    {
        if (applied) return;
        applied = true;
        // Numbers show as text only (strings already do): the package's default would wrap each in HTML too. Other
        // values keep the package's default, HTML (objects as property tables, sequences as tables), because a
        // formatter registered for a type's HTML (a chart) is used only where HTML is the preferred rendering.
        // Every output also carries text/plain (MimeBundle adds it).
        foreach (var type in PlainTypes) Formatter.SetPreferredMimeTypesFor(type, PlainTextFormatter.MimeType);
        TensorFormatting.Install();
        // Plotly.NET charts: plotly JSON, offline HTML and a PNG (ChartFormatter). plotly.js goes out once, as an output
        // of its own, so redrawing the first chart in place (a live training curve) cannot take it away.
        ChartFormatter.Register(emitPlotlyJs: html =>
        {
            if (KernelInvocationContext.Current is not { } context) return false; // the first chart's HTML carries it
            context.Display(new PlotlyScript(html), HtmlMimeType, PlainTextFormatter.MimeType);
            return true;
        });
        Formatter.Register<PlotlyScript>((script, writer) => writer.Write(script.Html), HtmlMimeType);
        Formatter.Register<PlotlyScript>((_, writer) => writer.Write("plotly.js (offline, for the charts below)"), PlainTextFormatter.MimeType);
    }
}

/// <summary>plotly.js as an output of its own: the script as HTML, one line as text (not 3.6 MB of it).</summary>
sealed record PlotlyScript(string Html);
