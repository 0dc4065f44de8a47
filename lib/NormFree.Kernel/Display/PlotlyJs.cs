using Plotly.NET;

namespace NormFree.Kernel.Display;

/// <summary>plotly.js as Plotly.NET ships it: the minified bundle embedded in Plotly.NET.dll (resource
/// <c>Plotly.NET.plotly-2.28.0.min.js</c>, 3.6 MB), so charts draw without a CDN.</summary>
public static class PlotlyJs
{
    /// <summary>The plotly.js version Plotly.NET writes its figures for (<c>Globals.PLOTLYJS_VERSION</c>).</summary>
    public static string Version => Globals.PLOTLYJS_VERSION;

    /// <summary>The attribute that marks the one script element carrying plotly.js in a notebook's outputs.</summary>
    public const string MarkerAttribute = "data-normfree-plotlyjs";

    static readonly Lazy<string> source = new(Load);
    static readonly Lazy<string> scriptTag = new(() => ScriptTagFor(source.Value));

    /// <summary>The minified plotly.js source.</summary>
    public static string Source => source.Value;

    /// <summary>A <c>&lt;script&gt;</c> element that defines <c>window.Plotly</c> unless a page already has it.
    /// The bundle is a UMD module: where require.js is loaded (classic Jupyter, nbconvert's HTML pages) it would
    /// register itself as an anonymous AMD module and never set <c>window.Plotly</c>, so it runs with
    /// <c>define</c>, <c>exports</c> and <c>module</c> shadowed.</summary>
    public static string ScriptTag => scriptTag.Value;

    static string ScriptTagFor(string js) =>
        $"<script type=\"text/javascript\" {MarkerAttribute}=\"{Version}\">\n" +
        "if (!window.Plotly) (function (define, exports, module) {\n" +
        js.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase) +
        "\n}).call(window);\n</script>";

    static string Load()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = $"Plotly.NET.plotly-{Version}.min.js";
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException(
                $"Plotly.NET.dll has no resource '{name}' (it has: {string.Join(", ", assembly.GetManifestResourceNames())})");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
