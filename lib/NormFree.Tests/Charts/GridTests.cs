using NormFree.Charts;

namespace NormFree.Tests.Charts;

public class GridTests
{
    static Figure Panel(double scale) =>
        new Figure($"×{scale}").YLabel("variance").Line([0, 1, 2], [0, scale, 2 * scale]).HLine(1);

    static (double X, double Y) Offset(System.Xml.Linq.XElement panel)
    {
        var parts = ((string)panel.Attribute("transform")!)["translate(".Length..^1].Split(' ');
        return (SvgReader.Num(parts[0]), SvgReader.Num(parts[1]));
    }

    [Fact]
    public void PanelsAreLaidOutRowByRow()
    {
        var grid = Figure.Grid(3, Enumerable.Range(1, 5).Select(i => Panel(i)));
        var svg = new SvgReader(grid.ToSvg());
        var panels = svg.ByClass("g", "panel");
        Assert.Equal(5, panels.Count);
        var offsets = panels.Select(Offset).ToList();
        Assert.Equal(offsets[0].Y, offsets[2].Y);        // one row of three
        Assert.True(offsets[3].Y > offsets[0].Y);        // then the next row
        Assert.Equal(offsets[0].X, offsets[3].X);
        Assert.True(offsets[1].X > offsets[0].X && offsets[2].X > offsets[1].X);
        var width = SvgReader.Attr(svg.Document.Root!, "width");
        Assert.InRange(width, 600, 1000); // fits a notebook's output width
    }

    [Fact]
    public void SharedYGivesEveryPanelTheSameLimits()
    {
        var panels = new[] { Panel(1), Panel(5), Panel(10) };

        // Each panel on its own: the reference line y = 1 sits at a different height.
        var own = new SvgReader(Figure.Grid(3, panels).ToSvg());
        Assert.Equal(3, own.ByClass("line", "hline").Select(l => SvgReader.Attr(l, "y1")).Distinct().Count());
        Assert.Equal(3, own.Texts("ylabel").Count);

        // Shared: the same height everywhere, y labels on the first column only.
        var shared = new SvgReader(Figure.Grid(2, panels).ShareY().ToSvg());
        Assert.Single(shared.ByClass("line", "hline").Select(l => SvgReader.Attr(l, "y1")).Distinct());
        Assert.Equal(2, shared.Texts("ylabel").Count); // panels 0 and 2 start a row
        var (_, y, _, h) = shared.PlotArea(1);
        var top = SvgReader.Subpaths(shared.ByClass("path", "line")[2]).Single()[2]; // (2, 20), the largest value
        Assert.InRange(top.Y, y, y + 0.1 * h);
        var lowPanel = SvgReader.Subpaths(shared.ByClass("path", "line")[0]).Single()[2]; // (2, 2) under the same limits
        Assert.True(lowPanel.Y > y + 0.8 * h);
    }

    [Fact]
    public void ASharedLegendListsEachLabelOnceRightOfThePanels()
    {
        Figure Labelled(double scale) => new Figure().Line([0, 1], [0, scale], "with BN").Line([0, 1], [scale, 0], "without");
        var svg = new SvgReader(Figure.Grid(2, Labelled(1), Labelled(2), Labelled(3)).SharedLegend().ToSvg());
        var legend = svg.ByClass("g", "legend").Single();
        Assert.Equal(["with BN", "without"], svg.ByClass("g", "legend-entry").Select(e => e.Value));
        var box = legend.Elements().First();
        var panelRight = svg.ByClass("g", "panel").Max(p => Offset(p).X) + svg.PlotArea(1).X + svg.PlotArea(1).W;
        Assert.True(SvgReader.Attr(box, "x") > panelRight, "the legend should sit right of the last column");
        Assert.True(SvgReader.Attr(box, "x") + SvgReader.Attr(box, "width") <= SvgReader.Attr(svg.Document.Root!, "width"), "and inside the grid");
        Assert.InRange(SvgReader.Attr(svg.Document.Root!, "width"), 600, 1000); // the panels make room for it
        // Without the option every panel draws its own.
        Assert.Equal(3, new SvgReader(Figure.Grid(2, Labelled(1), Labelled(2), Labelled(3)).ToSvg()).ByClass("g", "legend").Count);
    }

    [Fact]
    public void TextFallbackListsEveryPanel()
    {
        var text = Figure.Grid(2, Panel(1), Panel(2)).Title("depths").ToString();
        Assert.Contains("\"depths\"", text);
        Assert.Contains("2 panels", text);
        Assert.Contains("×1", text);
        Assert.Contains("×2", text);
    }
}
