using System.Globalization;

namespace NormFree.Charts;

/// <summary>A matrix drawn as coloured cells, row 0 at the top (as a matrix is written), with a colour bar. The
/// figure's x axis indexes columns and its y axis rows. Non-finite cells are left blank.</summary>
internal sealed class HeatmapSeries : Series
{
    public double[,] Values { get; }
    public IReadOnlyList<string>? ColumnLabels { get; }
    public IReadOnlyList<string>? RowLabels { get; }
    /// <summary>Title of the colour bar (a heatmap has no legend entry).</summary>
    public string? ColorBarLabel { get; }
    public ColorMap Map { get; }
    public double VMin { get; }
    public double VMax { get; }
    readonly bool annotate;

    public int Rows => Values.GetLength(0);
    public int Columns => Values.GetLength(1);

    public HeatmapSeries(double[,] values, IReadOnlyList<string>? columns, IReadOnlyList<string>? rows, string? label,
                         ColorMap map, double? vmin, double? vmax, bool annotate)
        : base(null, "none")
    {
        ArgumentNullException.ThrowIfNull(values);
        if (columns is not null && columns.Count != values.GetLength(1))
            throw new ArgumentException($"Heatmap: {columns.Count} column labels for {values.GetLength(1)} columns");
        if (rows is not null && rows.Count != values.GetLength(0))
            throw new ArgumentException($"Heatmap: {rows.Count} row labels for {values.GetLength(0)} rows");
        (Values, ColumnLabels, RowLabels, ColorBarLabel, Map, this.annotate) =
            ((double[,])values.Clone(), columns?.ToArray(), rows?.ToArray(), label, map, annotate);
        var finite = values.Cast<double>().Where(double.IsFinite).ToList();
        var m = finite.Count == 0 ? 1 : finite.Max(Math.Abs);
        // A diverging map is centred on zero so that white means zero; a sequential one spans the data.
        var (lo, hi) = ColorMaps.IsDiverging(map) ? (-m, m) : Axis.AutoLimits(finite, Scale.Linear, pad: 0);
        if (lo == hi) (lo, hi) = (lo - 1, hi + 1);
        (VMin, VMax) = (vmin ?? lo, vmax ?? hi);
        if (!(VMax > VMin))
            throw new ArgumentException($"Heatmap: colour range [{VMin}, {VMax}] is empty; vmax must exceed vmin");
    }

    public string CellColor(double v) => ColorMaps.At(Map, (v - VMin) / (VMax - VMin));

    public override void Draw(Svg svg, Plot plot)
    {
        // crispEdges: without it anti-aliasing leaves hairline seams between neighbouring cells.
        svg.Raw("<g class=\"heatmap\" shape-rendering=\"crispEdges\">\n");
        for (var r = 0; r < Rows; r++)
            for (var c = 0; c < Columns; c++)
            {
                if (!double.IsFinite(Values[r, c])) continue;
                var (x0, x1) = (plot.X.Map(c - 0.5), plot.X.Map(c + 0.5));
                var (y0, y1) = (plot.Y.Map(r - 0.5), plot.Y.Map(r + 0.5));
                svg.Rect(Math.Min(x0, x1), Math.Min(y0, y1), Math.Abs(x1 - x0), Math.Abs(y1 - y0),
                         $"class=\"cell\" fill=\"{CellColor(Values[r, c])}\"");
            }
        svg.Raw("</g>\n");
        if (annotate) Annotate(svg, plot);
    }

    void Annotate(Svg svg, Plot plot)
    {
        var labels = Values.Cast<double>().Where(double.IsFinite).Select(Ticks.Compact).ToList();
        var widest = labels.Count == 0 ? "0" : labels.MaxBy(l => l.Length)!;
        // Fit the text inside a cell: at most 60 % of its height and 90 % of its width.
        var (cellW, cellH) = (Math.Abs(plot.X.Map(1) - plot.X.Map(0)), Math.Abs(plot.Y.Map(1) - plot.Y.Map(0)));
        var size = Math.Min(Theme.TickSize, Math.Min(cellH * 0.6, 0.9 * cellW / Theme.TextWidth(widest, 1)));
        for (var r = 0; r < Rows; r++)
            for (var c = 0; c < Columns; c++)
            {
                if (!double.IsFinite(Values[r, c])) continue;
                var ink = Luminance(CellColor(Values[r, c])) > 0.45 ? Theme.Ink : "#ffffff";
                svg.Text(plot.X.Map(c), plot.Y.Map(r) + size * 0.35, Svg.Escape(Ticks.Compact(Values[r, c])),
                         $"class=\"cell-value\" text-anchor=\"middle\" font-size=\"{Svg.Num(size)}\" fill=\"{ink}\"");
            }
    }

    /// <summary>Relative luminance (sRGB weights, ITU-R BT.709), to pick black or white text on a cell.</summary>
    static double Luminance(string hex)
    {
        double C(int at) => int.Parse(hex.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
        return 0.2126 * C(1) + 0.7152 * C(3) + 0.0722 * C(5);
    }

    public override void DrawSwatch(Svg svg, double x, double y) { }

    public override string Describe(Scale x, Scale y)
    {
        var finite = Values.Cast<double>().Where(double.IsFinite).ToList();
        return $"heatmap{(ColorBarLabel is null ? "" : $" \"{ColorBarLabel}\"")}: {Rows} × {Columns}" + (finite.Count > 0 ? $", values {Range(finite)}" : "") +
               (finite.Count < Values.Length ? $" ({Values.Length - finite.Count} non-finite cells blank)" : "");
    }
}
