namespace NormFree.Charts;

/// <summary>The legend: one entry per labelled series, in a box inside the plot at the first corner that hides no
/// data (top right, top left, bottom right, bottom left), like matplotlib's <c>loc="best"</c>. It goes to the right of
/// the plot instead when every corner would hide data, or when it is too tall to sit inside (more than
/// <see cref="MaxInsideShare"/> of the plot's height).</summary>
internal static class Legend
{
    public const double SwatchWidth = 22, RowHeight = 17, Padding = 6, Gap = 6, Inset = 8;
    const double MaxInsideShare = 0.4;

    /// <summary>Width and height of the legend box; (0, 0) when no series has a label.</summary>
    public static (double Width, double Height) Measure(IReadOnlyList<Series> series)
    {
        var entries = series.Where(s => s.Label is not null).ToList();
        if (entries.Count == 0) return (0, 0);
        return (2 * Padding + SwatchWidth + Gap + entries.Max(s => Theme.TextWidth(s.Label!, Theme.TickSize)),
                2 * Padding + RowHeight * entries.Count - (RowHeight - Theme.TickSize - 2));
    }

    /// <summary>Whether the legend is too tall to sit inside a plot <paramref name="plotHeight"/> px tall.</summary>
    public static bool TooTall(IReadOnlyList<Series> series, double plotHeight) =>
        Measure(series).Height > MaxInsideShare * plotHeight;

    /// <summary>Horizontal room an outside legend takes to the right of the plot.</summary>
    public static double OutsideWidth(IReadOnlyList<Series> series) => Inset + Measure(series).Width;

    /// <summary>Whether a legend inside <paramref name="plot"/> would hide data at every corner.</summary>
    public static bool HidesData(Plot plot, IReadOnlyList<Series> series)
    {
        var (width, height) = Measure(series);
        return width > 0 && BestCorner(plot, series, width, height).Hidden > 0;
    }

    public static void Draw(Svg svg, Plot plot, IReadOnlyList<Series> series, bool outside)
    {
        var (width, height) = Measure(series);
        if (width == 0) return;
        var (left, top) = outside ? (plot.Right + Inset, plot.Top) : BestCorner(plot, series, width, height).Corner;
        DrawAt(svg, left, top, series);
    }

    /// <summary>The legend box with its top-left corner at (<paramref name="left"/>, <paramref name="top"/>).</summary>
    public static void DrawAt(Svg svg, double left, double top, IReadOnlyList<Series> series)
    {
        var entries = series.Where(s => s.Label is not null).ToList();
        if (entries.Count == 0) return;
        var (width, height) = Measure(series);
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

    /// <summary>The corner whose box hides the fewest footprint points (the first on a tie) and how many it hides.</summary>
    static ((double Left, double Top) Corner, int Hidden) BestCorner(Plot plot, IReadOnlyList<Series> series, double width, double height)
    {
        var points = series.SelectMany(s => s.Footprint(plot)).ToList();
        var (l, r) = (plot.Left + Inset, plot.Right - Inset - width);
        var (t, b) = (plot.Top + Inset, plot.Bottom - Inset - height);
        (double Left, double Top)[] corners = [(r, t), (l, t), (r, b), (l, b)];
        return corners.Select(c => (c, points.Count(p => p.X >= c.Left && p.X <= c.Left + width && p.Y >= c.Top && p.Y <= c.Top + height)))
            .MinBy(e => e.Item2);
    }
}
