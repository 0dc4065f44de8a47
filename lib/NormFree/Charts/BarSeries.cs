namespace NormFree.Charts;

/// <summary>One bar per category, optionally with a ±std whisker. Several bar series in a figure share the categories
/// and stand side by side within each category (grouped bars). Bars grow from zero on a linear axis and from the
/// bottom edge on a log axis.</summary>
internal sealed class BarSeries : Series
{
    /// <summary>Share of a category's slot the group of bars fills; the rest separates neighbouring categories.</summary>
    const double GroupFill = 0.8;

    public IReadOnlyList<string> Categories { get; }
    readonly IReadOnlyList<double> values;
    readonly IReadOnlyList<double>? std;

    /// <summary>This series' place in the group and the group's size; set by the figure before drawing.</summary>
    public int Slot { get; set; }
    public int Slots { get; set; } = 1;

    public BarSeries(IReadOnlyList<string> categories, IReadOnlyList<double> values, IReadOnlyList<double>? std, string? label, string color)
        : base(label, color)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(values);
        if (categories.Count != values.Count)
            throw new ArgumentException($"Bar: {categories.Count} categories but {values.Count} values; they must have the same length");
        if (std is not null && std.Count != values.Count)
            throw new ArgumentException($"Bar: {values.Count} values but {std.Count} std values; they must have the same length");
        (Categories, this.values, this.std) = (categories.ToArray(), values.ToArray(), std?.ToArray());
    }

    public override IEnumerable<double> YExtent =>
        std is null ? values : values.Concat(values.Select((v, i) => v - std[i])).Concat(values.Select((v, i) => v + std[i]));

    /// <summary>Left edge and width of bar <paramref name="i"/> in pixels.</summary>
    (double Left, double Width) Column(Plot plot, int i)
    {
        var slot = Math.Abs(plot.X.Map(1) - plot.X.Map(0));
        var width = slot * GroupFill / Slots;
        return (plot.X.Map(i) - slot * GroupFill / 2 + Slot * width, width);
    }

    double Base(Plot plot) => plot.Y.Scale == Scale.Log ? plot.Y.From : plot.Y.Map(0);

    public override void Draw(Svg svg, Plot plot)
    {
        var baseY = Base(plot);
        svg.Raw($"<g class=\"bars\" fill=\"{Color}\">\n");
        for (var i = 0; i < values.Count; i++)
        {
            var top = plot.Y.Map(values[i]);
            if (double.IsNaN(top)) continue;
            var (left, width) = Column(plot, i);
            svg.Rect(left, Math.Min(top, baseY), width, Math.Abs(baseY - top), "class=\"bar\"");
        }
        svg.Raw("</g>\n");
        if (std is null) return;
        for (var i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i]) || !double.IsFinite(std[i])) continue;
            var (left, width) = Column(plot, i);
            var (cx, cap) = (left + width / 2, Math.Min(width / 4, 5));
            var (hi, lo) = (plot.Y.MapOrEdge(values[i] + std[i]), plot.Y.MapOrEdge(values[i] - std[i]));
            var stroke = $"stroke=\"{Theme.Ink}\" stroke-width=\"1.2\"";
            svg.Raw("<g class=\"whisker\">\n").Line(cx, lo, cx, hi, stroke)
               .Line(cx - cap, hi, cx + cap, hi, stroke).Line(cx - cap, lo, cx + cap, lo, stroke).Raw("</g>\n");
        }
    }

    public override void DrawSwatch(Svg svg, double x, double y) =>
        svg.Rect(x + 4, y - 5, Legend.SwatchWidth - 8, 10, $"fill=\"{Color}\"");

    public override IEnumerable<(double X, double Y)> Footprint(Plot plot)
    {
        var baseY = Base(plot);
        for (var i = 0; i < values.Count; i++)
        {
            var top = plot.Y.Map(values[i]);
            if (double.IsNaN(top)) continue;
            var (left, width) = Column(plot, i);
            // Sample the bar's area: a legend over a bar hides it as much as one over a line.
            for (var y = Math.Min(top, baseY); y <= Math.Max(top, baseY); y += 6)
                for (var x = left; x <= left + width; x += 6)
                    yield return (x, y);
        }
    }

    public override string Describe(Scale x, Scale y) =>
        $"{Name("bars")}: " + string.Join(", ", Categories.Select((c, i) =>
            $"{c} = {Ticks.Short(values[i])}" + (std is null ? "" : $" ± {Ticks.Short(std[i])}")));
}
