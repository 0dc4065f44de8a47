namespace NormFree.Charts;

/// <summary>How a grid draws a panel: shared y limits, whether this panel shows its y tick labels and y label (hidden
/// labels keep their space, so every panel in a row has the same plot area), and whether it draws its own legend (not
/// when the grid draws one for all panels).</summary>
internal sealed record PanelOptions((double Min, double Max)? SharedY, bool HideYText, bool HideLegend = false)
{
    public static readonly PanelOptions None = new(null, false);
}

public sealed partial class Figure
{
    const double Pad = 0.04;            // margin around auto limits, as a share of the data range (matplotlib: 0.05)
    const double XTickSpacing = 90;     // ≈ px between x ticks: room for a 6–8 character label
    const double YTickSpacing = 55;     // ≈ px between y ticks
    const double CategoryLabelAngle = 40; // degrees; category names too wide for their slot are slanted

    internal Scale YScale => yScale;
    internal bool HasExplicitSize => size is not null;
    internal (double Width, double Height) ExplicitSize => size ?? (Theme.Width, Theme.Height);
    internal bool IsCategorical => series.Any(s => s is BarSeries or HeatmapSeries);
    HeatmapSeries? HeatmapPanel => series.OfType<HeatmapSeries>().FirstOrDefault();
    List<BarSeries> Bars => series.OfType<BarSeries>().ToList();

    (double Min, double Max) XLimits()
    {
        if (HeatmapPanel is { } h) return (-0.5, h.Columns - 0.5);
        if (Bars.Count > 0) return (-0.5, Bars[0].Categories.Count - 0.5);
        return xLim ?? Axis.AutoLimits(series.SelectMany(s => s.XExtent), xScale, Pad);
    }

    /// <summary>The y limits this figure would use on its own (a grid sharing y takes the union over panels).</summary>
    internal (double Min, double Max) YLimits()
    {
        if (HeatmapPanel is { } h) return (h.Rows - 0.5, -0.5); // row 0 on top
        if (yLim is { } fixedY) return fixedY;
        var values = series.SelectMany(s => s.YExtent);
        if (Bars.Count == 0 || yScale == Scale.Log) return Axis.AutoLimits(values, yScale, Pad);
        // Bars grow from zero: include it, and pad only the side(s) away from it.
        var finite = values.Where(double.IsFinite).Append(0).ToList();
        var (lo, hi) = (finite.Min(), finite.Max());
        if (lo == hi) return (0, 1);
        var q = Pad * (hi - lo);
        return (lo < 0 ? lo - q : 0, hi > 0 ? hi + q : 0);
    }

    void CheckRenderable((double Min, double Max) x, (double Min, double Max) y)
    {
        if (IsCategorical && xScale == Scale.Log)
            throw new InvalidOperationException("LogX: bars and heatmaps have a categorical x axis, which cannot be logarithmic");
        if (HeatmapPanel is not null && yScale == Scale.Log)
            throw new InvalidOperationException("LogY: a heatmap's y axis indexes rows and cannot be logarithmic");
        if (xScale == Scale.Log && x.Min <= 0)
            throw new ArgumentException($"XLim: a log axis needs positive limits, got ({x.Min}, {x.Max})");
        if (yScale == Scale.Log && y.Min <= 0)
            throw new ArgumentException($"YLim: a log axis needs positive limits, got ({y.Min}, {y.Max})");
    }

    /// <summary>Where the plot area starts, below the title.</summary>
    internal double PlotTop => 10 + (title is null ? 0 : Theme.TitleSize + 12);

    /// <summary>Draws this figure into a <paramref name="width"/> × <paramref name="height"/> box at the origin.</summary>
    internal void Render(Svg svg, double width, double height, PanelOptions options)
    {
        var (xl, yl) = (XLimits(), options.SharedY ?? YLimits());
        CheckRenderable(xl, yl);
        var heat = HeatmapPanel;

        // Vertical layout: title, plot, x tick labels, x label.
        var top = PlotTop;
        var categoryLabels = CategoryLabels(heat);
        var slanted = categoryLabels is not null &&
                      categoryLabels.Max(l => Theme.TextWidth(l, Theme.TickSize)) > 0.9 * (width - 120) / categoryLabels.Count;
        var slantedDrop = slanted ? categoryLabels!.Max(l => Theme.TextWidth(l, Theme.TickSize)) * Math.Sin(CategoryLabelAngle * Math.PI / 180) : 0;
        var bottom = Theme.TickLength + 4 + Theme.TickSize + slantedDrop + (xLabel is null ? 0 : Theme.LabelSize + 10) + 6;
        var plotHeight = Math.Max(20, height - top - bottom);

        // Horizontal layout: y label, y tick labels, plot, colour bar, and the legend when it sits outside.
        var yTicks = AxisTicks(yScale, yl, plotHeight / YTickSpacing, heat?.RowLabels, heat?.Rows);
        var yTickWidth = yTicks.Major.Count == 0 ? 0 : yTicks.Major.Max(t => Theme.TextWidth(t.Text, Theme.TickSize));
        var left = 8 + (yLabel is null ? 0 : Theme.LabelSize + 10) + yTickWidth + Theme.TickLength + 4;
        Plot Layout(bool legendOutside)
        {
            var right = 18 + (heat is null ? 0 : ColorBar.Width(heat, plotHeight)) + (legendOutside ? Legend.OutsideWidth(series) : 0);
            var plotWidth = Math.Max(20, width - left - right);
            var xTicks = XTicks(xl, plotWidth, heat, categoryLabels);
            var x = new Axis(xScale, xl.Min, xl.Max, left, left + plotWidth) { Ticks = xTicks.Major, MinorTicks = xTicks.Minor };
            var y = new Axis(yScale, yl.Min, yl.Max, top + plotHeight, top) { Ticks = yTicks.Major, MinorTicks = yTicks.Minor };
            return new Plot(x, y, left, top, plotWidth, plotHeight);
        }
        // The legend goes beside the plot when it is too tall to sit inside, or when every inside corner would hide data.
        var legendOutside = !options.HideLegend && Legend.TooTall(series, plotHeight);
        var plot = Layout(legendOutside);
        if (!options.HideLegend && !legendOutside && Legend.HidesData(plot, series)) plot = Layout(legendOutside = true);

        svg.Raw("<g class=\"figure\">\n");
        svg.Rect(0, 0, width, height, "class=\"background\" fill=\"#ffffff\"");
        if (title is not null)
            svg.Text(left + plot.Width / 2, 10 + Theme.TitleSize, Svg.Escape(title),
                     $"class=\"title\" text-anchor=\"middle\" font-size=\"{Svg.Num(Theme.TitleSize)}\" font-weight=\"600\" fill=\"{Theme.Ink}\"");
        if (heat is null) GridLines(svg, plot);
        DrawData(svg, plot);
        Axes(svg, plot, slanted, options.HideYText);
        AxisLabels(svg, plot, bottom, slantedDrop, options.HideYText);
        if (!options.HideLegend) Legend.Draw(svg, plot, series, legendOutside);
        if (heat is not null) ColorBar.Draw(svg, heat, plot.Right, plot.Top, plot.Height);
        svg.Raw("</g>\n");
    }

    List<string>? CategoryLabels(HeatmapSeries? heat) =>
        heat is not null ? heat.ColumnLabels?.ToList() : Bars.FirstOrDefault()?.Categories.ToList();

    /// <summary>Ticks for a numeric axis, or for a categorical one (<paramref name="count"/> categories): every
    /// label when given, else indices at a nice integer step.</summary>
    static (List<Tick> Major, List<double> Minor) AxisTicks(Scale scale, (double Min, double Max) limits, double target,
                                                             IReadOnlyList<string>? labels, int? count)
    {
        var n = (int)Math.Max(2, Math.Round(target));
        if (labels is not null) return (labels.Select((l, i) => new Tick(i, l)).ToList(), []);
        if (count is { } c) return (Ticks.Indices(c, n), []);
        return scale == Scale.Log ? Ticks.Log(limits.Min, limits.Max, n) : (Ticks.Linear(limits.Min, limits.Max, n), []);
    }

    /// <summary>X ticks, thinned until neighbouring labels no longer overlap (numeric axes only: category labels are
    /// all shown, slanted when they are too wide).</summary>
    (List<Tick> Major, List<double> Minor) XTicks((double Min, double Max) limits, double plotWidth, HeatmapSeries? heat,
                                                  List<string>? categoryLabels)
    {
        var count = heat?.Columns ?? Bars.FirstOrDefault()?.Categories.Count;
        for (var target = plotWidth / XTickSpacing; ; target *= 0.7)
        {
            var ticks = AxisTicks(xScale, limits, target, categoryLabels, count);
            if (categoryLabels is not null || target < 2.5 || !Overlap(ticks.Major, limits, plotWidth)) return ticks;
        }
    }

    bool Overlap(List<Tick> ticks, (double Min, double Max) limits, double plotWidth)
    {
        var axis = new Axis(xScale, limits.Min, limits.Max, 0, plotWidth);
        return ticks.Zip(ticks.Skip(1)).Any(p =>
            Math.Abs(axis.Map(p.Second.Value) - axis.Map(p.First.Value)) <
            (Theme.TextWidth(p.First.Text, Theme.TickSize) + Theme.TextWidth(p.Second.Text, Theme.TickSize)) / 2 + 8);
    }

    void GridLines(Svg svg, Plot plot)
    {
        var stroke = $"stroke=\"{Theme.Grid}\" stroke-width=\"1\"";
        svg.Raw("<g class=\"grid\">\n");
        foreach (var t in plot.Y.Ticks) svg.Line(plot.Left, plot.Y.Map(t.Value), plot.Right, plot.Y.Map(t.Value), stroke);
        if (!IsCategorical)
            foreach (var t in plot.X.Ticks) svg.Line(plot.X.Map(t.Value), plot.Top, plot.X.Map(t.Value), plot.Bottom, stroke);
        svg.Raw("</g>\n");
    }

    void DrawData(Svg svg, Plot plot)
    {
        // The clip path keeps data inside the plot when limits are fixed. Its id is made of its own geometry, so two
        // figures inlined in one HTML page that happen to share an id also share the rectangle it names.
        var id = $"nf-clip-{Svg.Num(plot.Left)}-{Svg.Num(plot.Top)}-{Svg.Num(plot.Width)}-{Svg.Num(plot.Height)}".Replace('.', '_');
        svg.Raw($"<clipPath id=\"{id}\">").Rect(plot.Left, plot.Top, plot.Width, plot.Height, "").Raw("</clipPath>\n");
        svg.Rect(plot.Left, plot.Top, plot.Width, plot.Height, "class=\"plot-area\" fill=\"none\"");
        var bars = Bars;
        for (var i = 0; i < bars.Count; i++) (bars[i].Slot, bars[i].Slots) = (i, bars.Count);
        svg.Raw($"<g class=\"data\" clip-path=\"url(#{id})\">\n");
        foreach (var s in series) s.Draw(svg, plot);
        svg.Raw("</g>\n");
    }

    void Axes(Svg svg, Plot plot, bool slanted, bool hideYText)
    {
        var ink = $"stroke=\"{Theme.Ink}\" stroke-width=\"1\"";
        var font = $"font-size=\"{Svg.Num(Theme.TickSize)}\" fill=\"{Theme.Ink}\"";
        svg.Raw("<g class=\"axes\">\n");
        svg.Line(plot.Left, plot.Bottom, plot.Right, plot.Bottom, ink).Line(plot.Left, plot.Top, plot.Left, plot.Bottom, ink);
        foreach (var v in plot.X.MinorTicks)
            svg.Line(plot.X.Map(v), plot.Bottom, plot.X.Map(v), plot.Bottom + Theme.TickLength / 2, ink);
        foreach (var v in plot.Y.MinorTicks)
            svg.Line(plot.Left - Theme.TickLength / 2, plot.Y.Map(v), plot.Left, plot.Y.Map(v), ink);
        foreach (var t in plot.X.Ticks)
        {
            var px = plot.X.Map(t.Value);
            var below = plot.Bottom + Theme.TickLength + 3 + Theme.TickSize * 0.8;
            svg.Line(px, plot.Bottom, px, plot.Bottom + Theme.TickLength, ink);
            svg.Text(px, below, t.Markup, slanted
                ? $"class=\"tick-label x\" text-anchor=\"end\" transform=\"rotate(-{CategoryLabelAngle} {Svg.Num(px)} {Svg.Num(below)})\" {font}"
                : $"class=\"tick-label x\" text-anchor=\"middle\" {font}");
        }
        foreach (var t in plot.Y.Ticks)
        {
            var py = plot.Y.Map(t.Value);
            svg.Line(plot.Left - Theme.TickLength, py, plot.Left, py, ink);
            if (!hideYText)
                svg.Text(plot.Left - Theme.TickLength - 3, py + Theme.TickSize * 0.35, t.Markup,
                         $"class=\"tick-label y\" text-anchor=\"end\" {font}");
        }
        svg.Raw("</g>\n");
    }

    void AxisLabels(Svg svg, Plot plot, double bottom, double slantedDrop, bool hideYText)
    {
        var font = $"font-size=\"{Svg.Num(Theme.LabelSize)}\" fill=\"{Theme.Ink}\"";
        if (xLabel is not null)
            svg.Text(plot.Left + plot.Width / 2, plot.Bottom + Theme.TickLength + 4 + Theme.TickSize + slantedDrop + Theme.LabelSize + 4,
                     Svg.Escape(xLabel), $"class=\"xlabel\" text-anchor=\"middle\" {font}");
        if (yLabel is not null && !hideYText)
        {
            var (lx, ly) = (8 + Theme.LabelSize, plot.Top + plot.Height / 2);
            svg.Text(lx, ly, Svg.Escape(yLabel),
                     $"class=\"ylabel\" text-anchor=\"middle\" transform=\"rotate(-90 {Svg.Num(lx)} {Svg.Num(ly)})\" {font}");
        }
    }
}
