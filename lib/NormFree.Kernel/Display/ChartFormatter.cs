using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Formatting;
using Newtonsoft.Json;
using Plotly.NET;

namespace NormFree.Kernel.Display;

/// <summary>A Plotly.NET chart as a Jupyter output, three representations of one figure:
/// <list type="bullet">
/// <item><c>application/vnd.plotly.v1+json</c>: the figure (<c>GenericChart.toFigureJson</c>), which VS Code and
/// JupyterLab draw themselves;</item>
/// <item><c>text/html</c>: the PNG as an <c>&lt;img&gt;</c> that a script replaces by the interactive chart once
/// plotly.js is there. Renderers that strip scripts (GitHub, nbconvert's priority picks text/html over image/png)
/// still show the picture. plotly.js itself (3.6 MB, from Plotly.NET.dll, no CDN) travels once per formatter, i.e.
/// once per kernel session: in the first chart's HTML, or as an output of its own through
/// <see cref="EmitPlotlyJs"/>;</item>
/// <item><c>image/png</c>: the static picture (<see cref="ChartImages"/>: one headless Chromium per process). Without
/// Chromium the PNG is left out with a one-line warning; formatting never fails for it.</item>
/// </list></summary>
public sealed class ChartFormatter
{
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";
    public const string HtmlMimeType = "text/html";
    public const string PngMimeType = "image/png";

    /// <summary>The formatter of this kernel session (what <see cref="Register"/> installs).</summary>
    public static ChartFormatter Shared { get; } = new();

    /// <summary>Draws the PNGs; null: no PNGs.</summary>
    public ChartImages? Images { get; init; } = ChartImages.Shared;

    /// <summary>The PNG's size in CSS pixels when the figure's layout gives none (Plotly.NET's charts give theirs).</summary>
    public int DefaultWidth { get; init; } = 700;
    public int DefaultHeight { get; init; } = 450;

    /// <summary>Where warnings go (one line each): the cell's stderr while a cell runs.</summary>
    public Action<string> Warn { get; init; } = message => Console.Error.WriteLine(message);

    /// <summary>Shows plotly.js's <c>&lt;script&gt;</c> (its argument, HTML) as an output of its own, before the first
    /// chart, and says whether it did. A separate output is never replaced by a display update, whereas the first
    /// chart's HTML is when that chart is a display that a cell redraws (a training curve). Unset, or returning
    /// false, the first chart's HTML carries the script.</summary>
    public Func<string, bool>? EmitPlotlyJs { get; set; }

    readonly Lock sync = new();
    bool plotlyJsSent;
    bool warnedNoPng;
    int nextId;

    /// <summary>Whether plotly.js has gone out in this session (in a chart's HTML or through <see cref="EmitPlotlyJs"/>).</summary>
    public bool PlotlyJsSent { get { lock (sync) return plotlyJsSent; } }

    /// <summary>The MIME bundle for <paramref name="chart"/>: <c>application/vnd.plotly.v1+json</c> (JSON text),
    /// <c>text/html</c> and, when Chromium is there, <c>image/png</c> (base64), as Jupyter wants them.</summary>
    public IReadOnlyDictionary<string, string> Format(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var figureJson = GenericChart.toFigureJson(chart);
        var layout = JsonNode.Parse(figureJson)?["layout"];
        var width = PositiveInt(layout?["width"]) ?? DefaultWidth;
        var height = PositiveInt(layout?["height"]) ?? DefaultHeight;

        string? png = null;
        if (Images is not null)
        {
            var bytes = Images.TryRenderPng(figureJson, width, height, out var problem);
            if (bytes is not null) png = Convert.ToBase64String(bytes);
            else WarnNoPng(problem);
        }

        string? carrier = null;
        int id;
        lock (sync)
        {
            id = ++nextId;
            if (!plotlyJsSent)
            {
                plotlyJsSent = true;
                if (!TryEmit(PlotlyJs.ScriptTag)) carrier = PlotlyJs.ScriptTag;
            }
        }

        var configJson = JsonConvert.SerializeObject(GenericChart.getConfig(chart), Globals.JSON_CONFIG);
        var html = (carrier is null ? "" : carrier + "\n") + ChartHtml(ChartId(id), figureJson, configJson, png, width, height, Title(layout));
        var bundle = new Dictionary<string, string> { [PlotlyMimeType] = figureJson, [HtmlMimeType] = html };
        if (png is not null) bundle[PngMimeType] = png;
        return bundle;
    }

    bool TryEmit(string scriptTag)
    {
        if (EmitPlotlyJs is not { } emit) return false;
        try { return emit(scriptTag); }
        catch (Exception e)
        {
            Warn($"charts: plotly.js could not be shown on its own ({e.Message}); it goes with the chart instead");
            return false;
        }
    }

    void WarnNoPng(string? problem)
    {
        lock (sync)
        {
            if (warnedNoPng) return;
            warnedNoPng = true;
        }
        Warn($"charts: no static PNG for charts in this session ({problem}); they still draw with JavaScript");
    }

    // Distinct between kernel sessions too, so outputs of several runs can share a page.
    string ChartId(int id) => $"nf-chart-{sessionId}-{id}";
    readonly string sessionId = Guid.NewGuid().ToString("N")[..8];

    static int? PositiveInt(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) && d >= 1 && d < 100_000 ? (int)Math.Round(d) : null;

    static string? Title(JsonNode? layout) => layout?["title"] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonObject o when o["text"] is JsonValue t && t.TryGetValue<string>(out var s) => s,
        _ => null,
    };

    /// <summary>The chart's HTML: a box holding the PNG (or a note when there is none), then a script that draws the
    /// interactive chart into the box once <c>window.Plotly</c> exists (waiting up to 20 s for a plotly.js that
    /// loads later) and removes the picture. Every box with this chart's id is drawn, so showing one bundle twice
    /// in a page works.</summary>
    static string ChartHtml(string id, string figureJson, string configJson, string? png, int width, int height, string? title)
    {
        var alt = WebUtility.HtmlEncode(string.IsNullOrWhiteSpace(title) ? "chart" : title);
        var picture = png is null
            ? $"<div style=\"height:{height}px;max-width:100%;display:flex;align-items:center;justify-content:center;color:#888\">" +
              "(an interactive chart: it needs JavaScript)</div>"
            : $"<img src=\"data:image/png;base64,{png}\" width=\"{width}\" height=\"{height}\" alt=\"{alt}\" style=\"max-width:100%;height:auto\">";
        // "</" cannot occur in JSON outside strings; inside them "<\/" is the same string, and keeps the script closed.
        static string InScript(string json) => json.Replace("</", "<\\/", StringComparison.Ordinal);
        return string.Create(CultureInfo.InvariantCulture, $$"""
            <div class="normfree-chart" data-normfree-chart="{{id}}" style="width:{{width}}px;max-width:100%">{{picture}}</div>
            <script type="text/javascript">
            (function () {
              var figure = {{InScript(figureJson)}};
              var config = {{InScript(configJson)}};
              function drawInto(box) {
                if (box.getAttribute("data-drawn")) return;
                box.setAttribute("data-drawn", "1");
                var fallback = box.firstElementChild;
                if (fallback) fallback.style.display = "none";
                function restore() { if (fallback) fallback.style.display = ""; }
                try {
                  window.Plotly.newPlot(box, figure.data, figure.layout, config)
                    .then(function () { if (fallback) fallback.remove(); }, restore);
                } catch (e) { restore(); }
              }
              function draw() {
                var boxes = document.querySelectorAll('div[data-normfree-chart="{{id}}"]');
                for (var i = 0; i < boxes.length; i++) drawInto(boxes[i]);
              }
              if (window.Plotly) { draw(); return; }
              var tries = 0, timer = setInterval(function () {
                if (window.Plotly) { clearInterval(timer); draw(); } else if (++tries >= 200) clearInterval(timer);
              }, 100);
            })();
            </script>
            """);
    }

    // ---- .NET Interactive ---------------------------------------------------------------------------------------

    /// <summary>Installs <see cref="Shared"/> in .NET Interactive's <see cref="Formatter"/>: every
    /// <see cref="GenericChart"/> is shown as text/html, application/vnd.plotly.v1+json and image/png (plus a short
    /// text/plain on request). Call it once at kernel start; <paramref name="emitPlotlyJs"/> (optional, see
    /// <see cref="EmitPlotlyJs"/>) shows plotly.js as an output of its own. Idempotent.</summary>
    public static void Register(Func<string, bool>? emitPlotlyJs = null)
    {
        if (emitPlotlyJs is not null) Shared.EmitPlotlyJs = emitPlotlyJs;
        Shared.RegisterWithFormatter();
    }

    // The engine asks for each MIME type separately; one bundle (one PNG) serves the three requests of a display.
    readonly ConditionalWeakTable<GenericChart, PendingBundle> pending = new();

    sealed class PendingBundle(IReadOnlyDictionary<string, string> bundle)
    {
        public IReadOnlyDictionary<string, string> Bundle { get; } = bundle;
        public HashSet<string> Served { get; } = [];
    }

    bool registered;

    void RegisterWithFormatter()
    {
        lock (sync)
        {
            if (registered) return;
            registered = true;
        }
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(Take(chart, HtmlMimeType) ?? ""), HtmlMimeType);
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(Take(chart, PlotlyMimeType) ?? "{}"), PlotlyMimeType);
        // A PNG that failed (Chromium broke mid-session) comes out empty: the host should drop empty payloads.
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(Take(chart, PngMimeType) ?? ""), PngMimeType);
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(PlainText(chart)), "text/plain");
        // Without Chromium, no image/png at all (the warning says why once, at the first chart).
        string[] preferred = Images is { HasBrowser: true }
            ? [HtmlMimeType, PlotlyMimeType, PngMimeType]
            : [HtmlMimeType, PlotlyMimeType];
        Formatter.SetPreferredMimeTypesFor(typeof(GenericChart), preferred);
    }

    /// <summary>One MIME type of the chart's bundle; the bundle is made on the first request and dropped once all
    /// its types have been served, so the next display of the same chart object gets a fresh one.</summary>
    string? Take(GenericChart chart, string mimeType)
    {
        lock (sync)
        {
            if (pending.TryGetValue(chart, out var entry) && entry.Served.Add(mimeType))
            {
                if (entry.Bundle.Keys.All(entry.Served.Contains)) pending.Remove(chart);
                return entry.Bundle.GetValueOrDefault(mimeType);
            }
        }
        var bundle = Format(chart);   // outside the lock: it may wait for Chromium
        var fresh = new PendingBundle(bundle);
        fresh.Served.Add(mimeType);
        lock (sync) pending.AddOrUpdate(chart, fresh);
        return bundle.GetValueOrDefault(mimeType);
    }

    static string PlainText(GenericChart chart)
    {
        var traces = GenericChart.getTraces(chart).Select(t => t.type).ToList();
        return $"Plotly chart: {traces.Count} trace{(traces.Count == 1 ? "" : "s")} ({string.Join(", ", traces)})";
    }
}
