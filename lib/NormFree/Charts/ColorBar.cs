namespace NormFree.Charts;

/// <summary>The colour bar beside a heatmap: the map as a vertical strip from VMin (bottom) to VMax (top), with
/// nice ticks and an optional title. Drawn as thin stacked rectangles rather than a gradient, which would need a
/// document-wide id.</summary>
internal static class ColorBar
{
    const double Gap = 14, BarWidth = 14, Slices = 64;

    static List<Tick> TicksFor(HeatmapSeries h, double height) =>
        Ticks.Linear(h.VMin, h.VMax, (int)Math.Max(2, height / 45));

    /// <summary>Horizontal room the colour bar takes to the right of the plot.</summary>
    public static double Width(HeatmapSeries h, double height)
    {
        var ticks = TicksFor(h, height);
        var labels = ticks.Count == 0 ? 0 : ticks.Max(t => Theme.TextWidth(t.Text, Theme.TickSize));
        return Gap + BarWidth + Theme.TickLength + 3 + labels + (h.ColorBarLabel is null ? 0 : Theme.LabelSize + 8);
    }

    public static void Draw(Svg svg, HeatmapSeries h, double plotRight, double top, double height)
    {
        var x = plotRight + Gap;
        var scale = new Axis(Scale.Linear, h.VMin, h.VMax, top + height, top);
        svg.Raw("<g class=\"colorbar\" shape-rendering=\"crispEdges\">\n");
        for (var i = 0; i < Slices; i++)
        {
            // Slice i covers [i, i+1]/Slices of the range, coloured at its middle.
            var (y0, y1) = (top + height * (1 - (i + 1) / Slices), top + height * (1 - i / Slices));
            svg.Rect(x, y0, BarWidth, y1 - y0 + 0.5, $"fill=\"{ColorMaps.At(h.Map, (i + 0.5) / Slices)}\"");
        }
        svg.Raw("</g>\n");
        var ink = $"stroke=\"{Theme.Ink}\" stroke-width=\"1\"";
        svg.Rect(x, top, BarWidth, height, $"fill=\"none\" {ink}");
        var widest = 0.0;
        foreach (var t in TicksFor(h, height))
        {
            var py = scale.Map(t.Value);
            svg.Line(x + BarWidth, py, x + BarWidth + Theme.TickLength, py, ink);
            svg.Text(x + BarWidth + Theme.TickLength + 3, py + Theme.TickSize * 0.35, t.Markup,
                     $"class=\"tick-label colorbar\" font-size=\"{Svg.Num(Theme.TickSize)}\" fill=\"{Theme.Ink}\"");
            widest = Math.Max(widest, Theme.TextWidth(t.Text, Theme.TickSize));
        }
        if (h.ColorBarLabel is null) return;
        var (lx, ly) = (x + BarWidth + Theme.TickLength + 3 + widest + 6 + Theme.LabelSize * 0.8, top + height / 2);
        svg.Text(lx, ly, Svg.Escape(h.ColorBarLabel), $"class=\"colorbar-label\" text-anchor=\"middle\" " +
                 $"transform=\"rotate(-90 {Svg.Num(lx)} {Svg.Num(ly)})\" font-size=\"{Svg.Num(Theme.LabelSize)}\" fill=\"{Theme.Ink}\"");
    }
}
