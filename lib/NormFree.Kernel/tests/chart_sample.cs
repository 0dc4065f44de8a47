#:project ../NormFree.Kernel.csproj
#:property PublishAot=false
// A notebook of Plotly.NET charts formatted by the kernel's ChartFormatter, without running a kernel: what the
// HTML export test (test_html_export.py) renders through nbconvert and checks in Chromium.
//   dotnet run lib/NormFree.Kernel/tests/chart_sample.cs -- OUT.ipynb [CHARTS] [--separate-plotlyjs] [--update-first]
// CHARTS (default 3) charts, one per code cell. --separate-plotlyjs: plotly.js as an output of its own
// (ChartFormatter.EmitPlotlyJs) instead of in the first chart's HTML. --update-first: the first chart is shown and
// then redrawn in place (a training curve), so its output is the second bundle, as nbclient leaves it after
// update_display_data.
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using NormFree.Kernel.Display;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

var path = args.Length > 0 ? args[0] : throw new ArgumentException("usage: chart_sample.cs OUT.ipynb [CHARTS] [--separate-plotlyjs]");
var count = args.Length > 1 && int.TryParse(args[1], out var n) ? n : 3;
var separate = args.Contains("--separate-plotlyjs");
var updateFirst = args.Contains("--update-first");

var cells = new JsonArray();
var pendingOutputs = new JsonArray();
var formatter = new ChartFormatter();
if (separate) formatter.EmitPlotlyJs = html => { pendingOutputs.Add(DisplayData(new Dictionary<string, string> { ["text/html"] = html })); return true; };

cells.Add(new JsonObject { ["cell_type"] = "markdown", ["id"] = "intro", ["metadata"] = new JsonObject(),
                           ["source"] = $"# {count} charts made by `ChartFormatter`" });
var times = new List<double>();
for (var i = 0; i < count; i++)
{
    var watch = Stopwatch.StartNew();
    var bundle = formatter.Format(MakeChart(i));
    times.Add(watch.Elapsed.TotalSeconds);
    if (i == 0 && updateFirst)
    {
        // The update replaces the display's bundle (and plotly.js with it, if it went with the chart); an output of
        // its own before it stays.
        watch.Restart();
        bundle = formatter.Format(MakeChart(100));
        times.Add(watch.Elapsed.TotalSeconds);
    }
    pendingOutputs.Add(DisplayData(bundle));   // after plotly.js's own output, if EmitPlotlyJs made one
    cells.Add(new JsonObject
    {
        ["cell_type"] = "code", ["id"] = $"chart-{i}", ["execution_count"] = i + 1, ["metadata"] = new JsonObject(),
        ["source"] = $"display(chart{i})", ["outputs"] = pendingOutputs,
    });
    pendingOutputs = [];
}
var notebook = new JsonObject
{
    ["nbformat"] = 4, ["nbformat_minor"] = 5, ["cells"] = cells,
    ["metadata"] = new JsonObject
    {
        ["kernelspec"] = new JsonObject { ["name"] = "normfree", ["display_name"] = "C# (NormFree)", ["language"] = "csharp" },
        ["language_info"] = new JsonObject { ["name"] = "csharp" },
    },
};
File.WriteAllText(path, notebook.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"{path}: {count} charts, {new FileInfo(path).Length / 1e6:0.00} MB; " +
                  $"formatting (PNG included) took {string.Join(", ", times.Select(t => t.ToString("0.00")))} s");
ChartImages.Shared.Dispose();

static JsonObject DisplayData(IReadOnlyDictionary<string, string> bundle)
{
    var data = new JsonObject();
    foreach (var (mime, payload) in bundle)
        data[mime] = mime.EndsWith("json", StringComparison.Ordinal) ? JsonNode.Parse(payload) : payload;
    return new JsonObject { ["output_type"] = "display_data", ["data"] = data, ["metadata"] = new JsonObject() };
}

static GenericChart MakeChart(int i)
{
    var xs = Enumerable.Range(0, 50).Select(k => k / 5.0).ToArray();
    return (i % 3) switch
    {
        0 => CSharpChart.Line<double, double, string>(x: xs, y: xs.Select(x => Math.Sin(x + i)).ToArray(), Name: $"sin {i}"),
        1 => CSharpChart.Column<double, string, string>(values: xs.Take(8).Select(x => x * x).ToArray(),
                                                        Keys: Enumerable.Range(0, 8).Select(k => $"k{k}").ToArray()),
        _ => CSharpChart.Point<double, double, string>(x: xs, y: xs.Select(x => Math.Cos(x * i)).ToArray(), Name: $"cos {i}"),
    };
}
