using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Formatting;
using NormFree.Kernel.Display;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace NormFree.Tests.Kernel;

/// <summary>The kernel's Plotly.NET chart formatter. The PNG tests need Debian's chromium (which ./workbook installs);
/// without it they check that the PNG is left out with a warning instead.</summary>
public class ChartFormatterTests
{
    static GenericChart Line(string name = "sin") =>
        CSharpChart.Line<double, double, string>(x: [0.0, 1.0, 2.0, 3.0], y: [0.0, 0.84, 0.91, 0.14], Name: name);

    static readonly byte[] PngMagic = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a];

    [Fact]
    public void A_chart_has_plotly_json_html_and_a_png()
    {
        var warnings = new List<string>();
        var bundle = new ChartFormatter { Warn = warnings.Add }.Format(Line());

        var figure = JsonNode.Parse(bundle[ChartFormatter.PlotlyMimeType])!.AsObject();
        Assert.Equal("scatter", (string?)figure["data"]![0]!["type"]);
        Assert.NotNull(figure["layout"]);
        Assert.Contains("data-normfree-chart=", bundle["text/html"]);
        if (!ChartImages.Shared.HasBrowser)
        {
            Assert.False(bundle.ContainsKey("image/png"));
            Assert.Single(warnings);
            return;
        }
        Assert.Equal(["application/vnd.plotly.v1+json", "image/png", "text/html"], bundle.Keys.Order());
        Assert.Empty(warnings);
        var png = Convert.FromBase64String(bundle["image/png"]);
        Assert.Equal(PngMagic, png[..8]);
        // The layout's size (Plotly.NET's default 600×600), read from the PNG's IHDR chunk.
        Assert.Equal((600, 600), (BigEndian(png, 16), BigEndian(png, 20)));
        // The HTML shows the same picture until plotly.js draws the chart: what GitHub (scripts stripped) shows.
        Assert.Contains($"<img src=\"data:image/png;base64,{bundle["image/png"]}\"", bundle["text/html"]);
    }

    static int BigEndian(byte[] b, int at) => b[at] << 24 | b[at + 1] << 16 | b[at + 2] << 8 | b[at + 3];

    [Fact]
    public void Plotly_js_goes_out_once_in_the_first_charts_html()
    {
        var formatter = new ChartFormatter { Images = null };
        var first = formatter.Format(Line("a"))["text/html"];
        var second = formatter.Format(Line("b"))["text/html"];

        Assert.Contains(PlotlyJs.MarkerAttribute, first);
        Assert.Contains("plotly.js v" + PlotlyJs.Version, first);
        Assert.True(first.Length > 3_000_000);
        Assert.DoesNotContain(PlotlyJs.MarkerAttribute, second);
        Assert.True(second.Length < 50_000, $"{second.Length} characters");
        Assert.True(formatter.PlotlyJsSent);
    }

    [Fact]
    public void Plotly_js_can_go_out_as_an_output_of_its_own()
    {
        var emitted = new List<string>();
        var formatter = new ChartFormatter { Images = null, EmitPlotlyJs = html => { emitted.Add(html); return true; } };
        var htmls = Enumerable.Range(0, 3).Select(i => formatter.Format(Line($"c{i}"))["text/html"]).ToList();

        Assert.Equal([PlotlyJs.ScriptTag], emitted);
        Assert.All(htmls, h => Assert.DoesNotContain(PlotlyJs.MarkerAttribute, h));
    }

    [Fact]
    public void Plotly_js_is_wrapped_so_require_js_cannot_take_it()
    {
        Assert.Equal("Plotly.NET.plotly-2.28.0.min.js", $"Plotly.NET.plotly-{PlotlyJs.Version}.min.js");
        Assert.StartsWith($"<script type=\"text/javascript\" {PlotlyJs.MarkerAttribute}=\"2.28.0\">", PlotlyJs.ScriptTag);
        Assert.Contains("if (!window.Plotly) (function (define, exports, module) {", PlotlyJs.ScriptTag);
        Assert.Single(PlotlyJs.ScriptTag.Split("</script>", StringSplitOptions.None)[1..]);   // one closing tag, at the end
    }

    [Fact]
    public void Without_chromium_the_png_is_left_out_with_one_warning()
    {
        var warnings = new List<string>();
        var formatter = new ChartFormatter
        {
            Images = new ChartImages { ExecutablePath = "/nonexistent/chromium" },
            Warn = warnings.Add,
        };
        var bundles = new[] { formatter.Format(Line("a")), formatter.Format(Line("b")) };

        Assert.All(bundles, b => Assert.Equal(["application/vnd.plotly.v1+json", "text/html"], b.Keys.Order()));
        Assert.All(bundles, b => Assert.Contains("it needs JavaScript", b["text/html"]));
        var warning = Assert.Single(warnings);
        Assert.Contains("/nonexistent/chromium", warning);
        Assert.DoesNotContain('\n', warning);
    }

    [Fact]
    public void Titles_and_scripts_in_a_figure_cannot_close_the_charts_script()
    {
        var chart = Plotly.NET.Chart.withTitle("</script><b>x</b>", null).Invoke(Line());
        var html = new ChartFormatter { Images = null }.Format(chart)["text/html"];
        var afterOpening = html[(html.IndexOf("<script type=\"text/javascript\">\n(function", StringComparison.Ordinal) + 10)..];
        Assert.Equal(1, afterOpening.Split("</script>").Length - 1);
    }

    [Fact]
    public void Registered_with_dotnet_interactive_a_chart_formats_as_all_three_types_from_one_bundle()
    {
        ChartFormatter.Register();
        var chart = Line();

        var preferred = Formatter.GetPreferredMimeTypesFor(chart.GetType());
        Assert.Contains("text/html", preferred);
        Assert.Contains(ChartFormatter.PlotlyMimeType, preferred);
        Assert.Equal(ChartImages.Shared.HasBrowser, preferred.Contains("image/png"));

        var html = chart.ToDisplayString("text/html");
        var json = chart.ToDisplayString(ChartFormatter.PlotlyMimeType);
        var png = chart.ToDisplayString("image/png");
        Assert.Contains("data-normfree-chart=", html);
        Assert.NotNull(JsonNode.Parse(json)!["data"]);
        if (ChartImages.Shared.HasBrowser) Assert.Contains(png, html);   // the same bundle served the three requests
        Assert.StartsWith("Plotly chart: 1 trace (scatter)", chart.ToDisplayString("text/plain"));
        // A second display of the same chart object is a new output: a fresh bundle, a new id.
        Assert.NotEqual(ChartId(html), ChartId(chart.ToDisplayString("text/html")));
    }

    static string ChartId(string html)
    {
        const string key = "data-normfree-chart=\"";
        var start = html.IndexOf(key, StringComparison.Ordinal) + key.Length;
        return html[start..html.IndexOf('"', start)];
    }
}
