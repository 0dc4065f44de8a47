using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;
using NormFree.Training;
using PlotlyAxis = Plotly.NET.StyleParam.AxisType;

namespace NormFree.Notebooks;

/// <summary>The few chart shapes the notebooks need that Plotly.NET does not name, built with Plotly.NET.CSharp:
/// a mean ± std band over seeds, bars of mean ± std, axis titles (optionally log-scaled) in one call, panels side by
/// side with their own titles. Everything else is Plotly.NET itself (<c>Chart.Line</c>, <c>Chart.Point</c>,
/// <c>Chart.Column</c>, <c>Chart.Heatmap</c>, <c>Chart.Combine</c>); the kernel shows every <see cref="GenericChart"/>
/// as interactive plotly, offline HTML and a PNG.</summary>
public static class Plots
{
    /// <summary>Plotly's default colour sequence, so a method keeps its colour from panel to panel when it is given
    /// the same index.</summary>
    public static readonly IReadOnlyList<string> Palette =
        ["#636efa", "#ef553b", "#00cc96", "#ab63fa", "#ffa15a", "#19d3f3", "#ff6692", "#b6e880", "#ff97ff", "#fecb52"];

    /// <summary>The palette's colour number <paramref name="index"/> (wrapping around).</summary>
    public static string ColorOf(int index) => Palette[((index % Palette.Count) + Palette.Count) % Palette.Count];

    /// <summary>The mean as a line with a shaded band from mean − std to mean + std (over seeds, say), one legend
    /// entry named <paramref name="name"/>. A missing std (one run) draws no band there rather than a hole.</summary>
    public static GenericChart Band(IEnumerable<double> x, IEnumerable<double> mean, IEnumerable<double> std, string name, int color = 0)
    {
        double[] xs = [.. x], m = [.. mean], s = [.. std];
        if (xs.Length != m.Length || m.Length != s.Length)
            throw new ArgumentException($"Band needs as many x ({xs.Length}), means ({m.Length}) and stds ({s.Length})");
        var upper = m.Zip(s, (a, b) => a + (double.IsNaN(b) ? 0 : b)).ToArray();
        var lower = m.Zip(s, (a, b) => a - (double.IsNaN(b) ? 0 : b)).ToArray();
        var hex = ColorOf(color);
        var chart = Chart.Range<double, double, string>(xs, m, upper, lower, StyleParam.Mode.Lines, Name: name, GroupName: name,
            LineColor: Color.fromString(hex), RangeColor: Color.fromString(Translucent(hex)),
            UpperName: $"{name} + std", LowerName: $"{name} − std");
        return HideFromLegend(chart, $"{name} + std", $"{name} − std");
    }

    /// <summary>A line of (x, y) pairs in the palette's colour <paramref name="color"/>.</summary>
    public static GenericChart Line(IEnumerable<double> x, IEnumerable<double> y, string name, int color = 0) =>
        Chart.Line<double, double, string>(x, y, Name: name, LineColor: Color.fromString(ColorOf(color)));

    /// <summary>Bars of mean ± std per key (error bars only where a std exists: one run draws none).</summary>
    public static GenericChart Bars(IEnumerable<string> keys, IEnumerable<(double Mean, double Std)> values, string name, int color = 0, bool legend = true)
    {
        var v = values.ToArray();
        var bars = Chart.Column<double, string, string>(v.Select(e => e.Mean), Keys: keys.ToArray(), Name: name, ShowLegend: legend,
            MarkerColor: Color.fromString(ColorOf(color)));
        if (v.All(e => double.IsNaN(e.Std))) return bars;
        // Plotly.NET's withYErrorStyle takes every one of its arguments from C#; the error object is set directly.
        var error = new Plotly.NET.TraceObjects.Error();
        error.SetProperty("type", "data");
        error.SetProperty("array", v.Select(e => double.IsNaN(e.Std) ? 0 : e.Std).ToArray());
        return Plotly.NET.Chart.withYError(error).Invoke(bars);
    }

    /// <summary>Titles of the chart and its axes; <paramref name="logY"/>/<paramref name="logX"/> make that axis
    /// logarithmic (otherwise the axis keeps its type: a bar chart's category axis stays one).</summary>
    public static GenericChart Titled(this GenericChart chart, string title, string x, string y, bool logX = false, bool logY = false)
    {
        var titled = Plotly.NET.Chart.withTitle(title, TitleFont: null).Invoke(chart);
        titled = logX ? titled.WithXAxisStyle<double, double, string>(TitleText: x, AxisType: PlotlyAxis.Log)
                      : titled.WithXAxisStyle<double, double, string>(TitleText: x);
        return logY ? titled.WithYAxisStyle<double, double, string>(TitleText: y, AxisType: PlotlyAxis.Log)
                    : titled.WithYAxisStyle<double, double, string>(TitleText: y);
    }

    /// <summary>Panels in a grid of <paramref name="columns"/> columns, each with its own axes and title.</summary>
    public static GenericChart Grid(int columns, params (string Title, GenericChart Chart)[] panels)
    {
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "a grid needs at least one column");
        if (panels.Length == 0) throw new ArgumentException("a grid needs at least one panel", nameof(panels));
        var rows = (panels.Length + columns - 1) / columns;
        return Chart.Grid(panels.Select(p => p.Chart), rows, columns, SubPlotTitles: panels.Select(p => p.Title).ToArray())
            .WithSize(Width: 420 * Math.Min(columns, panels.Length), Height: 380 * rows);
    }

    /// <summary>Test accuracy per epoch, one colour per arm: the mean ± std band of the completed runs (the papers'
    /// averaged curves leave failed runs out) and the mean of the failed or diverged runs dashed in the same colour,
    /// with markers (a run stopped after one epoch is a single point); <paramref name="chance"/> (the best constant
    /// prediction) as a grey reference line.</summary>
    public static GenericChart AccuracyCurves(string title, double chance, params SeedSummary[] arms)
    {
        var traces = new List<GenericChart>();
        for (var i = 0; i < arms.Length; i++)
        {
            var arm = arms[i];
            var completed = arm.Histories.Where(h => h.Status == TrainingStatus.Completed && h.Epochs.Count > 0).ToList();
            var stopped = arm.Histories.Where(h => h.Status != TrainingStatus.Completed && h.Epochs.Count > 0).ToList();
            if (completed.Count > 0)
            {
                double[] x = [.. Enumerable.Range(1, completed.Min(h => h.Epochs.Count)).Select(e => (double)e)];
                var stats = x.Select(e => Sample.Of(completed.Select(h => h.Epochs[(int)e - 1].TestAccuracy))).ToArray();
                traces.Add(Band(x, stats.Select(m => m.Mean), stats.Select(m => m.Std), $"{arm.Label} ({completed.Count} trained)", i));
            }
            if (stopped.Count > 0)
            {
                double[] x = [.. Enumerable.Range(1, stopped.Min(h => h.Epochs.Count)).Select(e => (double)e)];
                traces.Add(Chart.Line<double, double, string>(x, x.Select(e => stopped.Average(h => h.Epochs[(int)e - 1].TestAccuracy)),
                    Name: $"{arm.Label} ({stopped.Count} failed or diverged)", ShowMarkers: true, LineColor: Color.fromString(ColorOf(i)),
                    LineDash: StyleParam.DrawingStyle.Dash));
            }
        }
        var last = Math.Max(2, arms.SelectMany(a => a.Histories).Select(h => h.Epochs.Count).DefaultIfEmpty(0).Max());
        traces.Add(Reference(chance, 1, last, "best constant prediction"));
        return Chart.Combine(traces).Titled(title, "epoch", "test accuracy");
    }

    /// <summary>A horizontal reference line at <paramref name="y"/> from <paramref name="x0"/> to <paramref name="x1"/>
    /// (chance level, a paper's number), drawn dashed in grey.</summary>
    public static GenericChart Reference(double y, double x0, double x1, string name) =>
        Chart.Line<double, double, string>([x0, x1], [y, y], Name: name, LineDash: StyleParam.DrawingStyle.Dash,
            LineColor: Color.fromString("#7f7f7f"));

    static string Translucent(string hex) =>
        $"rgba({Convert.ToInt32(hex[1..3], 16)}, {Convert.ToInt32(hex[3..5], 16)}, {Convert.ToInt32(hex[5..7], 16)}, 0.2)";

    static GenericChart HideFromLegend(GenericChart chart, params string[] names) =>
        GenericChart.mapTrace(FSharpFunc<Trace, Trace>.FromConverter(trace =>
        {
            if (trace.TryGetTypedPropertyValue<string>("name") is { } name && names.Contains(name.Value))
                trace.SetProperty("showlegend", false);
            return trace;
        }), chart);
}
