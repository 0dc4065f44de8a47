using NormFree.Notebooks;

namespace NormFree.Charts;

/// <summary>
/// Small multiples: figures laid out row by row, <c>columns</c> per row, each in a cell of the same size, rendered as
/// one SVG. Built with <see cref="Figure.Grid"/>:
/// <code>Figure.Grid(3, depths.Select(d =&gt; new Figure($"depth {d}").Line(...))).ShareY()</code>
/// <see cref="ShareY"/> gives every panel the same y limits (the union of their own) and keeps y tick labels and the
/// y label on the first column only; <see cref="SharedLegend"/> draws one legend for all panels, right of the grid.
/// </summary>
[TypeFormatterSource(typeof(ChartFormatterSource), PreferredMimeTypes = ["image/svg+xml", "text/plain"])]
public sealed class FigureGrid : IChart
{
    /// <summary>Target width of a whole grid whose panels have no explicit size: a notebook's output width.</summary>
    const double TargetWidth = 960;
    const double MinPanelWidth = 260, PanelAspect = 0.68; // height / width, as the 560 × 360 default figure (≈ 0.64) with room for a title

    readonly IReadOnlyList<Figure> panels;
    readonly int columns;
    bool shareY, sharedLegend;
    string? title;

    internal FigureGrid(int columns, IEnumerable<Figure> panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        this.panels = panels.ToList();
        if (columns < 1) throw new ArgumentException($"Figure.Grid: columns must be at least 1, got {columns}");
        if (this.panels.Count == 0) throw new ArgumentException("Figure.Grid: no panels given");
        if (this.panels.Any(p => p is null)) throw new ArgumentNullException(nameof(panels), "Figure.Grid: a panel is null");
        this.columns = Math.Min(columns, this.panels.Count);
    }

    /// <summary>Same y limits in every panel: the union of the panels' own limits.</summary>
    public FigureGrid ShareY(bool share = true) { shareY = share; return this; }

    /// <summary>One legend for the whole grid, right of the panels, instead of one per panel: each label once, with
    /// the swatch of the first panel's series that carries it (panels that plot the same runs label them alike).</summary>
    public FigureGrid SharedLegend(bool shared = true) { sharedLegend = shared; return this; }

    /// <summary>A title over the whole grid.</summary>
    public FigureGrid Title(string title) { this.title = title; return this; }

    int Rows => (panels.Count + columns - 1) / columns;

    /// <summary>Every cell has the largest explicit panel size; panels without one share ≈ 960 px per row, less
    /// <paramref name="reserved"/> px (a shared legend).</summary>
    (double Width, double Height) CellSize(double reserved)
    {
        var sized = panels.Where(p => p.HasExplicitSize).Select(p => p.ExplicitSize).ToList();
        if (sized.Count > 0) return (sized.Max(s => s.Width), sized.Max(s => s.Height));
        var width = Math.Min(Theme.Width, Math.Max(MinPanelWidth, (TargetWidth - reserved) / columns));
        return (width, Math.Round(width * PanelAspect));
    }

    (double Min, double Max)? SharedY()
    {
        if (!shareY) return null;
        if (panels.Any(p => p.IsCategorical && p.YLimits().Min > p.YLimits().Max))
            throw new InvalidOperationException("ShareY: a heatmap's rows cannot share a y axis with other panels");
        if (panels.Select(p => p.YScale).Distinct().Count() > 1)
            throw new InvalidOperationException("ShareY: panels mix linear and log y axes; make them all LogY() or none");
        var limits = panels.Select(p => p.YLimits()).ToList();
        return (limits.Min(l => l.Min), limits.Max(l => l.Max));
    }

    public string ToSvg()
    {
        var legend = sharedLegend ? panels.SelectMany(p => p.LabelledSeries).DistinctBy(s => s.Label).ToList() : [];
        var legendWidth = legend.Count == 0 ? 0 : Legend.OutsideWidth(legend) + Legend.Inset;
        var (cellWidth, cellHeight) = CellSize(legendWidth);
        var shared = SharedY();
        var titleHeight = title is null ? 0 : Theme.TitleSize + 16;
        var (width, height) = (cellWidth * columns + legendWidth, titleHeight + cellHeight * Rows);
        var svg = new Svg();
        svg.Rect(0, 0, width, height, "class=\"background\" fill=\"#ffffff\"");
        if (title is not null)
            svg.Text(width / 2, 8 + Theme.TitleSize, Svg.Escape(title),
                     $"class=\"grid-title\" text-anchor=\"middle\" font-size=\"{Svg.Num(Theme.TitleSize + 1)}\" font-weight=\"600\" fill=\"{Theme.Ink}\"");
        for (var i = 0; i < panels.Count; i++)
        {
            var (row, column) = (i / columns, i % columns);
            svg.Raw($"<g class=\"panel\" transform=\"translate({Svg.Num(column * cellWidth)} {Svg.Num(titleHeight + row * cellHeight)})\">\n");
            panels[i].Render(svg, cellWidth, cellHeight, new PanelOptions(shared, HideYText: shared is not null && column > 0, HideLegend: sharedLegend));
            svg.Raw("</g>\n");
        }
        Legend.DrawAt(svg, cellWidth * columns, titleHeight + panels[0].PlotTop, legend); // level with the first plot's top
        return Figure.Document(svg, width, height, title);
    }

    /// <summary>text/plain view: the layout and each panel's description.</summary>
    public override string ToString() =>
        $"Grid{(title is null ? "" : $" \"{title}\"")}: {panels.Count} panel{(panels.Count == 1 ? "" : "s")}, " +
        $"{columns} per row{(shareY ? ", shared y" : "")}{(sharedLegend ? ", shared legend" : "")}" +
        string.Concat(panels.Select(p => "\n" + string.Join("\n", p.ToString().Split('\n').Select(l => "  " + l))));
}
