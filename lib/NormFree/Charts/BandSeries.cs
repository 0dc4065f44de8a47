namespace NormFree.Charts;

/// <summary>A mean line with a shaded band <c>mean ± std</c> around it: the usual picture of a quantity measured over
/// several seeds. Indices where x, mean or std is not finite split both the band and the line. On a log y axis the
/// lower edge of a band that reaches zero or below runs along the bottom of the plot.</summary>
internal sealed class BandSeries : Series
{
    readonly IReadOnlyList<double> xs, mean, std;

    public BandSeries(IReadOnlyList<double> xs, IReadOnlyList<double> mean, IReadOnlyList<double> std, string? label, string color)
        : base(label, color)
    {
        CheckLengths("Band", xs, mean, "xs", "mean");
        CheckLengths("Band", xs, std, "xs", "std");
        var negative = std.Select((s, i) => (s, i)).FirstOrDefault(p => p.s < 0);
        if (negative.s < 0)
            throw new ArgumentException($"Band: std[{negative.i}] = {negative.s} is negative; a standard deviation is ≥ 0");
        (this.xs, this.mean, this.std) = (xs.ToArray(), mean.ToArray(), std.ToArray());
    }

    public override IEnumerable<double> XExtent => xs;
    public override IEnumerable<double> YExtent =>
        Enumerable.Range(0, xs.Count).Where(i => double.IsFinite(std[i]))
            .SelectMany(i => new[] { mean[i] - std[i], mean[i] + std[i] }).Concat(mean);

    public override void Draw(Svg svg, Plot plot)
    {
        foreach (var run in BandRuns(plot))
        {
            // Upper edge left to right, then lower edge right to left: one closed polygon per run.
            var outline = run.Select(p => (p.X, p.Upper)).Concat(run.AsEnumerable().Reverse().Select(p => (p.X, p.Lower)));
            svg.Raw($"<polygon class=\"band\" points=\"{string.Join(" ", outline.Select(p => $"{Svg.Num(p.X)},{Svg.Num(p.Item2)}"))}\" " +
                    $"fill=\"{Color}\" fill-opacity=\"{Svg.Num(Theme.BandOpacity)}\" stroke=\"none\"/>\n");
        }
        LineSeries.DrawPolyline(svg, plot, plot.Runs(xs, mean), Color, dashed: false, "line");
    }

    List<List<(double X, double Upper, double Lower)>> BandRuns(Plot plot)
    {
        var runs = new List<List<(double X, double Upper, double Lower)>>();
        List<(double X, double Upper, double Lower)>? run = null;
        for (var i = 0; i < xs.Count; i++)
        {
            if (!plot.X.Accepts(xs[i]) || !double.IsFinite(mean[i]) || !double.IsFinite(std[i])) { run = null; continue; }
            if (run is null) runs.Add(run = []);
            run.Add((plot.X.Map(xs[i]), plot.Y.MapOrEdge(mean[i] + std[i]), plot.Y.MapOrEdge(mean[i] - std[i])));
        }
        return runs;
    }

    public override void DrawSwatch(Svg svg, double x, double y)
    {
        svg.Rect(x, y - 5, Legend.SwatchWidth, 10, $"fill=\"{Color}\" fill-opacity=\"{Svg.Num(Theme.BandOpacity)}\"");
        svg.Line(x, y, x + Legend.SwatchWidth, y, $"stroke=\"{Color}\" stroke-width=\"{Svg.Num(Theme.LineWidth)}\"");
    }

    public override IEnumerable<(double X, double Y)> Footprint(Plot plot) =>
        Along(plot.Runs(xs, mean)).Concat(BandRuns(plot).SelectMany(r => r)
            .SelectMany(p => new[] { (p.X, p.Upper), (p.X, p.Lower) }));

    public override string Describe(Scale x, Scale y)
    {
        var spread = std.Where(double.IsFinite).ToList();
        return $"{Name("band")} (mean ± std): {Summary(xs, mean, x, y)}" +
               (spread.Count > 0 ? $", std {Range(spread)}" : "");
    }
}
