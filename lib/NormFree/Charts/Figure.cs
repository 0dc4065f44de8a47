using System.Numerics;
using System.Runtime.CompilerServices;
using NormFree.Notebooks;

namespace NormFree.Charts;

/// <summary>
/// A figure: one panel of series on shared axes, built fluently and rendered to SVG.
/// <code>
/// var fig = new Figure("Training").XLabel("epoch").YLabel("loss").LogY()
///     .Band(epochs, mean, std, "train (5 seeds)")
///     .Line(epochs, test, "test", dashed: true);
/// string svg = fig.ToSvg();
/// </code>
/// A figure holds either x–y series (<c>Line</c>, <c>Scatter</c>, <c>Band</c>), or grouped <c>Bar</c>s over
/// categories, or one <c>Heatmap</c>; <see cref="HLine"/> reference lines go with the first two. Points an axis cannot show (NaN,
/// ±∞, ≤ 0 on a log axis) are skipped: they split a line into segments. Series colours cycle through the colour-blind
/// safe Okabe–Ito palette (<see cref="Palette"/>). Several figures side by side: <see cref="Grid"/>.
/// </summary>
[TypeFormatterSource(typeof(ChartFormatterSource), PreferredMimeTypes = ["image/svg+xml", "text/plain"])]
public sealed partial class Figure : IChart
{
    string? title, xLabel, yLabel;
    Scale xScale = Scale.Linear, yScale = Scale.Linear;
    (double Min, double Max)? xLim, yLim;
    (double Width, double Height)? size;
    readonly List<Series> series = [];
    int colors;

    public Figure(string? title = null) => this.title = title;

    public Figure Title(string title) { this.title = title; return this; }
    public Figure XLabel(string label) { xLabel = label; return this; }
    public Figure YLabel(string label) { yLabel = label; return this; }

    /// <summary>Logarithmic x axis (decade ticks); points with x ≤ 0 are skipped.</summary>
    public Figure LogX(bool log = true) { xScale = log ? Scale.Log : Scale.Linear; return this; }
    /// <summary>Logarithmic y axis (decade ticks); points with y ≤ 0 are skipped.</summary>
    public Figure LogY(bool log = true) { yScale = log ? Scale.Log : Scale.Linear; return this; }

    /// <summary>Fixed x limits (otherwise the data's range plus a small margin).</summary>
    public Figure XLim(double min, double max) { xLim = CheckLimits("XLim", min, max); return this; }
    /// <summary>Fixed y limits (otherwise the data's range plus a small margin; bars also include zero).</summary>
    public Figure YLim(double min, double max) { yLim = CheckLimits("YLim", min, max); return this; }

    /// <summary>Size in CSS pixels; default 560 × 360 (a panel in a <see cref="Grid"/>: a share of ≈ 960 px).</summary>
    public Figure Size(double width, double height)
    {
        if (!(width >= 100 && height >= 80 && width <= 10_000 && height <= 10_000))
            throw new ArgumentException($"Size: {width} × {height} px is outside 100 × 80 … 10000 × 10000");
        size = (width, height);
        return this;
    }

    /// <summary>A line through <c>(xs[i], ys[i])</c>. Any numeric element types (int epochs, float losses, …).</summary>
    public Figure Line<TX, TY>(IEnumerable<TX> xs, IEnumerable<TY> ys, string? label = null, string? color = null, bool dashed = false)
        where TX : INumberBase<TX> where TY : INumberBase<TY> =>
        Add(new LineSeries(Values(xs), Values(ys), label, color ?? NextColor(), dashed));

    /// <summary>A line through <c>(i, ys[i])</c>, i = 0, 1, … (as matplotlib's <c>plot(ys)</c>).</summary>
    public Figure Line<T>(IEnumerable<T> ys, string? label = null, string? color = null, bool dashed = false)
        where T : INumberBase<T>
    {
        var y = Values(ys);
        return Add(new LineSeries(Enumerable.Range(0, y.Length).Select(i => (double)i).ToArray(), y, label, color ?? NextColor(), dashed));
    }

    /// <summary>A marker at each <c>(xs[i], ys[i])</c>; <paramref name="radius"/> in pixels.</summary>
    public Figure Scatter<TX, TY>(IEnumerable<TX> xs, IEnumerable<TY> ys, string? label = null, string? color = null, double radius = Theme.MarkerRadius)
        where TX : INumberBase<TX> where TY : INumberBase<TY> =>
        Add(new ScatterSeries(Values(xs), Values(ys), label, color ?? NextColor(), radius));

    /// <summary>The mean as a line and <c>mean ± std</c> as a shaded band (e.g. a metric over seeds).</summary>
    public Figure Band<TX, TY>(IEnumerable<TX> xs, IEnumerable<TY> mean, IEnumerable<TY> std, string? label = null, string? color = null)
        where TX : INumberBase<TX> where TY : INumberBase<TY> =>
        Add(new BandSeries(Values(xs), Values(mean), Values(std), label, color ?? NextColor()));

    /// <summary>One bar per category (optionally with ±std whiskers). Call once per group member: bar series with the
    /// same categories stand side by side.</summary>
    public Figure Bar<T>(IEnumerable<string> categories, IEnumerable<T> values, string? label = null,
                         IEnumerable<T>? std = null, string? color = null) where T : INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(categories);
        return Add(new BarSeries(categories.ToArray(), Values(values), std is null ? null : Values(std), label, color ?? NextColor()));
    }

    /// <summary>A matrix <c>values[row, column]</c> as coloured cells, row 0 on top, with a colour bar titled
    /// <paramref name="label"/>. Colour range: <paramref name="vmin"/>…<paramref name="vmax"/>, by default the data's
    /// range (symmetric about zero for a diverging map). <paramref name="annotate"/> writes each value in its cell.</summary>
    public Figure Heatmap<T>(T[,] values, IReadOnlyList<string>? columns = null, IReadOnlyList<string>? rows = null,
                             string? label = null, ColorMap map = ColorMap.Viridis, double? vmin = null, double? vmax = null,
                             bool annotate = false) where T : INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        var v = new double[values.GetLength(0), values.GetLength(1)];
        for (var r = 0; r < v.GetLength(0); r++)
            for (var c = 0; c < v.GetLength(1); c++)
                v[r, c] = double.CreateSaturating(values[r, c]);
        return Add(new HeatmapSeries(v, columns, rows, label, map, vmin, vmax, annotate));
    }

    /// <summary>Numbers of any type as doubles (NaN and ±∞ kept: they are skipped when drawn).</summary>
    static double[] Values<T>(IEnumerable<T> values, [CallerArgumentExpression(nameof(values))] string? name = null)
        where T : INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(values, name);
        return values.Select(double.CreateSaturating).ToArray();
    }

    /// <summary>A horizontal reference line at <paramref name="y"/> (dashed; grey unless given a colour).</summary>
    public Figure HLine(double y, string? label = null, string? color = null) =>
        Add(new ReferenceLine(y, label, color ?? Theme.Reference));

    /// <summary>Small multiples: <paramref name="panels"/> laid out row by row, <paramref name="columns"/> per row.</summary>
    public static FigureGrid Grid(int columns, params IEnumerable<Figure> panels) => new(columns, panels);

    string NextColor() => Palette.Series(colors++);

    Figure Add(Series s)
    {
        var heatmap = s is HeatmapSeries || series.Any(x => x is HeatmapSeries);
        if (heatmap && series.Count > 0)
            throw new InvalidOperationException(
                "a heatmap fills its panel: put it in a figure of its own (Figure.Grid shows figures side by side)");
        var bars = series.Where(x => x is not ReferenceLine).ToList();
        if (bars.Count > 0 && (s is BarSeries) != (bars[0] is BarSeries))
            throw new InvalidOperationException(
                "bars have a categorical x axis and cannot share a panel with lines, scatters or bands: use two figures");
        if (s is BarSeries bar && bars.FirstOrDefault() is BarSeries first && !first.Categories.SequenceEqual(bar.Categories))
            throw new ArgumentException($"Bar: categories [{string.Join(", ", bar.Categories)}] differ from the figure's " +
                                        $"[{string.Join(", ", first.Categories)}]; grouped bars share their categories");
        series.Add(s);
        return this;
    }

    static (double, double) CheckLimits(string what, double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || !(max > min))
            throw new ArgumentException($"{what}: limits ({min}, {max}) must be finite with max > min");
        return (min, max);
    }

    public string ToSvg()
    {
        var (width, height) = size ?? (Theme.Width, Theme.Height);
        var svg = new Svg();
        Render(svg, width, height, PanelOptions.None);
        return Document(svg, width, height, title);
    }

    /// <summary>The standalone SVG document around rendered content (shared with <see cref="FigureGrid"/>).</summary>
    /// <summary>The labelled series, in the order they were added.</summary>
    internal IEnumerable<Series> LabelledSeries => series.Where(s => s.Label is not null);

    internal static string Document(Svg content, double width, double height, string? title) =>
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Svg.Num(width)}\" height=\"{Svg.Num(height)}\" " +
        $"viewBox=\"0 0 {Svg.Num(width)} {Svg.Num(height)}\" font-family=\"{Theme.Font}\" role=\"img\">\n" +
        (title is null ? "" : $"<title>{Svg.Escape(title)}</title>\n") + content + "</svg>\n";

    /// <summary>text/plain view: the title, axes and one line per series.</summary>
    public override string ToString()
    {
        string Axis(string name, string? label, Scale scale) =>
            label is null && scale == Scale.Linear ? "" : $" · {name}: {label ?? name}{(scale == Scale.Log ? " (log)" : "")}";
        var head = $"Figure{(title is null ? "" : $" \"{title}\"")}{Axis("x", xLabel, xScale)}{Axis("y", yLabel, yScale)}";
        return series.Count == 0
            ? head + "\n  (no data)"
            : head + string.Concat(series.Select(s => "\n  " + s.Describe(xScale, yScale)));
    }
}
