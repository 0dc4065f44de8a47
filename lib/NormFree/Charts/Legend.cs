namespace NormFree.Charts;

/// <summary>The legend: one entry per labelled series, in a box inside the plot at the corner that hides the fewest
/// data points (top right on a tie), like matplotlib's <c>loc="best"</c>.</summary>
internal static class Legend
{
    public const double SwatchWidth = 22, RowHeight = 17, Padding = 6, Gap = 6, Inset = 8;

    public static void Draw(Svg svg, Plot plot, IReadOnlyList<Series> series)
    {
        var entries = series.Where(s => s.Label is not null).ToList();
        if (entries.Count == 0) return;
        var width = 2 * Padding + SwatchWidth + Gap + entries.Max(s => Theme.TextWidth(s.Label!, Theme.TickSize));
        var height = 2 * Padding + RowHeight * entries.Count - (RowHeight - Theme.TickSize - 2);
        var (left, top) = BestCorner(plot, series, width, height);
        svg.Raw("<g class=\"legend\">\n");
        svg.Rect(left, top, width, height, "fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#cccccc\" rx=\"3\"");
        for (var i = 0; i < entries.Count; i++)
        {
            var y = top + Padding + Theme.TickSize / 2 + 1 + i * RowHeight;
            svg.Raw("<g class=\"legend-entry\">\n");
            entries[i].DrawSwatch(svg, left + Padding, y);
            svg.Text(left + Padding + SwatchWidth + Gap, y + Theme.TickSize * 0.35, Svg.Escape(entries[i].Label!),
                     $"font-size=\"{Svg.Num(Theme.TickSize)}\" fill=\"{Theme.Ink}\"");
            svg.Raw("</g>\n");
        }
        svg.Raw("</g>\n");
    }

    static (double Left, double Top) BestCorner(Plot plot, IReadOnlyList<Series> series, double width, double height)
    {
        var points = series.SelectMany(s => s.Footprint(plot)).ToList();
        var (l, r) = (plot.Left + Inset, plot.Right - Inset - width);
        var (t, b) = (plot.Top + Inset, plot.Bottom - Inset - height);
        (double, double)[] corners = [(r, t), (l, t), (r, b), (l, b)];
        return corners.MinBy(c => points.Count(p =>
            p.X >= c.Item1 && p.X <= c.Item1 + width && p.Y >= c.Item2 && p.Y <= c.Item2 + height));
    }
}
