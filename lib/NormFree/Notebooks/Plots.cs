using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;
using PlotlyAxis = Plotly.NET.StyleParam.AxisType;

namespace NormFree.Notebooks;

/// <summary>The few chart shapes the notebooks need that Plotly.NET does not name, built with Plotly.NET.CSharp:
/// a mean ± std band over seeds, axis titles (optionally log-scaled) in one call, a grid with one legend. Everything
/// else is Plotly.NET itself (<c>Chart.Line</c>, <c>Chart.Point</c>, <c>Chart.Column</c>, <c>Chart.Heatmap</c>,
/// <c>Chart.Combine</c>); the kernel shows every <see cref="GenericChart"/> as interactive plotly, offline HTML and
/// a PNG.</summary>
public static class Plots
{
    /// <summary>The mean as a line with a shaded band from mean − std to mean + std (over seeds, say).</summary>
    public static GenericChart Band(IEnumerable<double> x, IEnumerable<double> mean, IEnumerable<double> std, string name)
    {
        double[] xs = [.. x], m = [.. mean], s = [.. std];
        if (xs.Length != m.Length || m.Length != s.Length)
            throw new ArgumentException($"Band needs as many x ({xs.Length}), means ({m.Length}) and stds ({s.Length})");
        var upper = m.Zip(s, (a, b) => a + (double.IsNaN(b) ? 0 : b)).ToArray(); // one seed: no band, not a NaN hole
        var lower = m.Zip(s, (a, b) => a - (double.IsNaN(b) ? 0 : b)).ToArray();
        return Chart.Range<double, double, string>(xs, m, upper, lower, StyleParam.Mode.Lines, Name: name);
    }

    /// <summary>A line of (x, y) pairs.</summary>
    public static GenericChart Line(IEnumerable<double> x, IEnumerable<double> y, string name) =>
        Chart.Line<double, double, string>(x, y, Name: name);

    /// <summary>Titles of the chart and its axes; <paramref name="logY"/>/<paramref name="logX"/> make that axis
    /// logarithmic.</summary>
    public static GenericChart Titled(this GenericChart chart, string title, string x, string y, bool logX = false, bool logY = false) =>
        Plotly.NET.Chart.withTitle(title, TitleFont: null).Invoke(chart)
            .WithXAxisStyle<double, double, string>(TitleText: x, AxisType: logX ? PlotlyAxis.Log : PlotlyAxis.Linear)
            .WithYAxisStyle<double, double, string>(TitleText: y, AxisType: logY ? PlotlyAxis.Log : PlotlyAxis.Linear);

    /// <summary>Several charts in a grid of <paramref name="columns"/> columns, each panel with its own axes.</summary>
    public static GenericChart Grid(int columns, params GenericChart[] charts)
    {
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "a grid needs at least one column");
        var rows = (charts.Length + columns - 1) / columns;
        return Chart.Grid(charts, rows, columns)
            .WithSize(Width: 380 * Math.Min(columns, charts.Length), Height: 340 * rows);
    }

    /// <summary>A horizontal reference line at <paramref name="y"/> from <paramref name="x0"/> to <paramref name="x1"/>
    /// (chance level, a paper's number), drawn dashed.</summary>
    public static GenericChart Reference(double y, double x0, double x1, string name) =>
        Chart.Line<double, double, string>([x0, x1], [y, y], Name: name, LineDash: StyleParam.DrawingStyle.Dash);
}
