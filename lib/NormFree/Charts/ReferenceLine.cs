namespace NormFree.Charts;

/// <summary>A horizontal line across the plot at <c>y</c> (a paper's reported value, chance level, unit variance);
/// dashed grey unless given a colour.</summary>
internal sealed class ReferenceLine(double y, string? label, string color) : Series(label, color)
{
    public override IEnumerable<double> YExtent => [y];

    public override void Draw(Svg svg, Plot plot)
    {
        var py = plot.Y.Map(y);
        if (double.IsNaN(py)) return;
        svg.Line(plot.Left, py, plot.Right, py, $"class=\"hline\" stroke=\"{Color}\" stroke-width=\"1.2\"{Theme.Dash(true)}");
    }

    public override void DrawSwatch(Svg svg, double x, double y0) =>
        svg.Line(x, y0, x + Legend.SwatchWidth, y0, $"stroke=\"{Color}\" stroke-width=\"1.2\"{Theme.Dash(true)}");

    public override IEnumerable<(double X, double Y)> Footprint(Plot plot)
    {
        var py = plot.Y.Map(y);
        if (double.IsNaN(py)) yield break;
        for (var x = plot.Left; x <= plot.Right; x += 6) yield return (x, py);
    }

    public override string Describe(Scale x, Scale yScale) => $"{Name("reference line")}: y = {Ticks.Short(y)}";
}
