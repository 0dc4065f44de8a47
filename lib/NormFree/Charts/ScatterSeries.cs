namespace NormFree.Charts;

/// <summary>A marker at each <c>(xs[i], ys[i])</c> the axes can show.</summary>
internal sealed class ScatterSeries : PointSeries
{
    readonly double radius;

    public ScatterSeries(IReadOnlyList<double> xs, IReadOnlyList<double> ys, string? label, string color, double radius)
        : base("Scatter", xs, ys, label, color)
    {
        if (!(radius > 0)) throw new ArgumentException($"Scatter: marker radius must be positive, got {radius}");
        this.radius = radius;
    }

    public override void Draw(Svg svg, Plot plot)
    {
        // Semi-opaque markers with a solid edge: overlapping points stay visible as darker clusters.
        svg.Raw($"<g class=\"scatter\" fill=\"{Color}\" fill-opacity=\"0.75\" stroke=\"{Color}\" stroke-width=\"0.8\">\n");
        foreach (var run in plot.Runs(xs, ys))
            foreach (var (px, py) in run)
                svg.Circle(px, py, radius, "class=\"marker\"");
        svg.Raw("</g>\n");
    }

    public override void DrawSwatch(Svg svg, double x, double y) =>
        svg.Circle(x + Legend.SwatchWidth / 2, y, radius, $"fill=\"{Color}\" fill-opacity=\"0.75\" stroke=\"{Color}\"");

    public override IEnumerable<(double X, double Y)> Footprint(Plot plot) => plot.Runs(xs, ys).SelectMany(r => r);
}
