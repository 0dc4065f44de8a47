namespace NormFree.Charts;

/// <summary>A polyline through <c>(xs[i], ys[i])</c>. Points an axis cannot show split the line into segments; a point
/// with no neighbour in its segment is drawn as a dot so it does not vanish.</summary>
internal sealed class LineSeries : PointSeries
{
    readonly bool dashed;

    public LineSeries(IReadOnlyList<double> xs, IReadOnlyList<double> ys, string? label, string color, bool dashed)
        : base("Line", xs, ys, label, color) => this.dashed = dashed;

    public override void Draw(Svg svg, Plot plot) => DrawPolyline(svg, plot, plot.Runs(xs, ys), Color, dashed, "line");

    /// <summary>Shared with the mean line of a band.</summary>
    internal static void DrawPolyline(Svg svg, Plot plot, List<List<(double X, double Y)>> runs, string color, bool dashed, string cls)
    {
        var paths = runs.Where(r => r.Count > 1).Select(plot.Decimate).ToList();
        if (paths.Count > 0)
            svg.Raw($"<path class=\"{cls}\" d=\"{Svg.PathData(paths)}\" fill=\"none\" stroke=\"{color}\" " +
                    $"stroke-width=\"{Svg.Num(Theme.LineWidth)}\" stroke-linejoin=\"round\" stroke-linecap=\"round\"{Theme.Dash(dashed)}/>\n");
        foreach (var lone in runs.Where(r => r.Count == 1))
            svg.Circle(lone[0].X, lone[0].Y, Theme.LineWidth * 1.2, $"class=\"{cls}-point\" fill=\"{color}\"");
    }

    public override void DrawSwatch(Svg svg, double x, double y) =>
        svg.Line(x, y, x + Legend.SwatchWidth, y, $"stroke=\"{Color}\" stroke-width=\"{Svg.Num(Theme.LineWidth)}\"{Theme.Dash(dashed)}");

    public override IEnumerable<(double X, double Y)> Footprint(Plot plot) => Along(plot.Runs(xs, ys).Select(plot.Decimate));
}
