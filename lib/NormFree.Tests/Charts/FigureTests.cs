using System.Globalization;
using NormFree.Charts;

namespace NormFree.Tests.Charts;

public class FigureTests
{
    const double Tol = 0.02; // coordinates are written rounded to 0.01 px; a sum of two rounded ones is off by up to 0.01

    static void Near((double X, double Y) expected, (double X, double Y) actual)
    {
        Close(expected.X, actual.X);
        Close(expected.Y, actual.Y);
    }

    static void Close(double expected, double actual) => Assert.InRange(actual, expected - Tol, expected + Tol);

    [Fact]
    public void EveryKindOfFigureIsWellFormedSvgWithEscapedText()
    {
        double[] xs = [1, 2, 3], ys = [2, 4, 3];
        IChart[] charts =
        [
            new Figure("a < b & \"c\"").XLabel("x <i>").YLabel("y & z").Line(xs, ys, "<line>").Scatter(xs, ys, "s&p"),
            new Figure("band").Band(xs, ys, [0.1, 0.2, 0.3], "seeds").HLine(3, "paper").LogY(),
            new Figure("bars").Bar(["a<", "b&"], [1, 2], "g1", std: [0.1, 0.2]).Bar(["a<", "b&"], [2, 1], "g2"),
            new Figure("heat").Heatmap(new double[,] { { 1, 2 }, { 3, 4 } }, ["c<1", "c2"], ["r1", "r&2"], "v", annotate: true),
            Figure.Grid(2, new Figure("p1").Line(xs, ys), new Figure("p2").Line(xs, ys)).ShareY().Title("grid & co"),
        ];
        foreach (var chart in charts)
        {
            var svg = new SvgReader(chart.ToSvg());
            Assert.True(SvgReader.Attr(svg.Document.Root!, "width") > 0);
            Assert.NotEmpty(svg.All("text"));
        }
        Assert.Contains("a < b & \"c\"", new SvgReader(charts[0].ToSvg()).Texts("title"));
    }

    [Fact]
    public void LinearAxesMapLimitsToThePlotEdges()
    {
        var fig = new Figure().Size(400, 300).XLim(0, 10).YLim(0, 100).Line([0, 5, 10], [0, 50, 100]);
        var svg = new SvgReader(fig.ToSvg());
        var (x, y, w, h) = svg.PlotArea();
        Assert.True(w > 200 && h > 150, $"plot area {w} × {h} leaves too little of a 400 × 300 figure");
        var points = SvgReader.Subpaths(svg.ByClass("path", "line").Single()).Single();
        Near((x, y + h), points[0]);         // (0, 0): bottom left
        Near((x + w / 2, y + h / 2), points[1]); // (5, 50): centre
        Near((x + w, y), points[2]);         // (10, 100): top right
    }

    [Fact]
    public void LogAxesPlaceDecadesEvenly()
    {
        var fig = new Figure().LogY().XLim(0, 3).YLim(1, 1000).Line([0, 1, 2, 3], [1, 10, 100, 1000]);
        var svg = new SvgReader(fig.ToSvg());
        var (x, y, w, h) = svg.PlotArea();
        var points = SvgReader.Subpaths(svg.ByClass("path", "line").Single()).Single();
        for (var k = 0; k <= 3; k++) Near((x + w * k / 3, y + h - h * k / 3), points[k]);
        Assert.Equal(["1", "10", "100", "1000"], svg.Texts("y"));

        var logX = new SvgReader(new Figure().LogX().XLim(1, 100).YLim(0, 1).Scatter([1, 10, 100, 1000], [0.5, 0.5, 0.5, 0.5]).ToSvg());
        var (lx, _, lw, _) = logX.PlotArea();
        var cx = logX.ByClass("circle", "marker").Select(c => SvgReader.Attr(c, "cx")).ToList();
        Assert.Equal(4, cx.Count); // the point past the limit is drawn (and clipped), not dropped
        Near((lx, 0), (cx[0], 0));
        Near((lx + lw / 2, 0), (cx[1], 0));
        Near((lx + lw, 0), (cx[2], 0));
    }

    [Fact]
    public void WideLogRangesGetPowerOfTenLabels()
    {
        double[] xs = [0, 1, 2], ys = [1e-8, 1e-4, 1];
        var svg = new SvgReader(new Figure().LogY().Line(xs, ys).ToSvg());
        var labels = svg.ByClass("text", "y");
        Assert.True(labels.Count >= 3);
        Assert.All(labels, l => Assert.StartsWith("10", l.Value));
        Assert.Contains(labels, l => l.Value == "10\u22128"); // "10" + superscript "−8"
    }

    [Fact]
    public void LinearTicksAreRoundNumbersInsideTheLimitsAtTheirValues()
    {
        var svg = new SvgReader(new Figure().YLim(-0.45, 1.05).XLim(0, 1).Line([0, 1], [0, 1]).ToSvg());
        var (_, y, _, h) = svg.PlotArea();
        var labels = svg.ByClass("text", "y");
        var values = labels.Select(t => double.Parse(t.Value.Replace('\u2212', '-'), CultureInfo.InvariantCulture)).ToList();
        Assert.InRange(values.Count, 3, 11);
        Assert.All(values, v => Assert.InRange(v, -0.45, 1.05));
        var step = Math.Round(values[1] - values[0], 10);
        Assert.Contains(step, new[] { 0.1, 0.2, 0.25, 0.5, 1.0 });
        Assert.All(values.Zip(values.Skip(1)), p => Assert.Equal(step, Math.Round(p.Second - p.First, 10)));
        Assert.Contains(0.0, values);
        Assert.Contains(labels, l => l.Value.StartsWith('\u2212')); // a typographic minus, not a hyphen
        // Each label sits at its value (text baseline 0.35 em below the tick).
        foreach (var (label, v) in labels.Zip(values))
            Assert.InRange(SvgReader.Attr(label, "y") - 11 * 0.35, y + h * (1.05 - v) / 1.5 - Tol, y + h * (1.05 - v) / 1.5 + Tol);
    }

    [Fact]
    public void NonFinitePointsSplitTheLineInsteadOfBreakingIt()
    {
        var fig = new Figure().Line([0, 1, 2, 3, 4, 5, 6], [1, 2, double.NaN, 4, 5, double.PositiveInfinity, 7]);
        var svg = new SvgReader(fig.ToSvg());
        var runs = SvgReader.Subpaths(svg.ByClass("path", "line").Single());
        Assert.Equal([2, 2], runs.Select(r => r.Count));
        Assert.Single(svg.ByClass("circle", "line-point")); // the lone (6, 7) is a dot, not lost
        Assert.DoesNotContain("NaN", fig.ToSvg());
        Assert.DoesNotContain("Infinity", fig.ToSvg());

        // On a log axis zero and negative values cannot be shown either.
        var log = new SvgReader(new Figure().LogY().Line([0, 1, 2, 3, 4], [1, 10, 0, -5, 100]).ToSvg());
        Assert.Equal([2], SvgReader.Subpaths(log.ByClass("path", "line").Single()).Select(r => r.Count));
        Assert.Single(log.ByClass("circle", "line-point"));
    }

    [Fact]
    public void LongLinesKeepTheirEnvelopeAtPixelResolution()
    {
        // 100 000 noisy steps: one extreme spike each way must survive the reduction.
        var rng = new Random(0);
        var ys = Enumerable.Range(0, 100_000).Select(_ => rng.NextDouble()).ToArray();
        (ys[31_337], ys[77_777]) = (5, -5);
        var fig = new Figure().Size(560, 360).XLim(0, 99_999).YLim(-5, 5).Line(ys);
        var svg = new SvgReader(fig.ToSvg());
        var (x, y, w, h) = svg.PlotArea();
        var points = SvgReader.Subpaths(svg.ByClass("path", "line").Single()).Single();
        Assert.InRange(points.Count, w, 4 * (w + 1));
        Close(y, points.Min(p => p.Y));       // the spike to 5 reaches the top
        Close(y + h, points.Max(p => p.Y));   // the one to −5 the bottom
        Near((x, y + h / 2 - ys[0] * h / 10), points[0]);
        Near((x + w, y + h / 2 - ys[^1] * h / 10), points[^1]);
        Assert.All(points.Zip(points.Skip(1)), p => Assert.True(p.Second.X >= p.First.X)); // order kept
    }

    [Fact]
    public void BandsSplitAtMissingValuesAndSpanMeanPlusMinusStd()
    {
        var fig = new Figure().XLim(0, 4).YLim(0, 10)
            .Band([0, 1, 2, 3, 4], [5, 5, 5, 5, 5], [1, 1, double.NaN, 2, 2]);
        var svg = new SvgReader(fig.ToSvg());
        var (_, y, _, h) = svg.PlotArea();
        var polygons = svg.ByClass("polygon", "band");
        Assert.Equal(2, polygons.Count);
        var ys = ((string)polygons[1].Attribute("points")!).Split(' ').Select(p => SvgReader.Num(p.Split(',')[1])).ToList();
        Close(y + h * (1 - 7 / 10.0), ys.Min()); // mean + std = 7
        Close(y + h * (1 - 3 / 10.0), ys.Max()); // mean − std = 3
        Assert.Equal(5, SvgReader.Subpaths(svg.ByClass("path", "line").Single()).Sum(r => r.Count)); // mean line intact
    }

    [Fact]
    public void LegendListsLabelledSeriesInOrder()
    {
        double[] xs = [0, 1], ys = [0, 1];
        var fig = new Figure().Line(xs, ys, "train").Line(xs, ys).Band(xs, ys, [0.1, 0.1], "test").Scatter(xs, ys, "points").HLine(0.5, "paper");
        var svg = new SvgReader(fig.ToSvg());
        var entries = svg.ByClass("g", "legend-entry");
        Assert.Equal(["train", "test", "points", "paper"], entries.Select(e => e.Value));
        Assert.Empty(new SvgReader(new Figure().Line(xs, ys).ToSvg()).ByClass("g", "legend"));
    }

    [Fact]
    public void LegendAvoidsTheData()
    {
        // A line along the top edge: the legend must not go to a top corner.
        var fig = new Figure().XLim(0, 1).YLim(0, 1).Line([0, 1], [0.97, 0.97], "top");
        var svg = new SvgReader(fig.ToSvg());
        var (_, y, _, h) = svg.PlotArea();
        var box = svg.ByClass("g", "legend").Single().Elements().First();
        Assert.True(SvgReader.Attr(box, "y") > y + h / 2, "legend should sit in a bottom corner");
    }

    [Fact]
    public void ALegendThatWouldHideDataInEveryCornerGoesBesideThePlot()
    {
        // Lines along the top and the bottom edge: every inside corner would cover one of them.
        var fig = new Figure().XLim(0, 1).YLim(0, 1).Line([0, 1], [0.97, 0.97], "top").Line([0, 1], [0.03, 0.03], "bottom");
        var svg = new SvgReader(fig.ToSvg());
        var (x, _, w, _) = svg.PlotArea();
        var box = svg.ByClass("g", "legend").Single().Elements().First();
        Assert.True(SvgReader.Attr(box, "x") > x + w, "the legend should sit right of the plot");
        Assert.True(SvgReader.Attr(box, "x") + SvgReader.Attr(box, "width") <= 560, "and inside the figure");
    }

    [Fact]
    public void ATallLegendGoesBesideThePlot()
    {
        var fig = new Figure().XLim(0, 1).YLim(0, 1);
        for (var k = 0; k < 9; k++) fig.Line([0, 1], [k / 10.0, k / 10.0], $"series {k}");
        var svg = new SvgReader(fig.ToSvg());
        var (x, _, w, _) = svg.PlotArea();
        var box = svg.ByClass("g", "legend").Single().Elements().First();
        Assert.True(SvgReader.Attr(box, "x") > x + w, "a nine-entry legend should sit right of the plot");
        Assert.True(SvgReader.Attr(box, "x") + SvgReader.Attr(box, "width") <= 560, "and inside the figure");
        Assert.Equal(9, svg.ByClass("g", "legend-entry").Count);
    }

    [Fact]
    public void SeriesTakeOkabeItoColoursInOrderUnlessGiven()
    {
        double[] xs = [0, 1];
        var fig = new Figure().Line(xs, xs).Line(xs, xs, color: "#123456").Line(xs, xs);
        var strokes = new SvgReader(fig.ToSvg()).ByClass("path", "line").Select(p => (string)p.Attribute("stroke")!);
        Assert.Equal([Palette.OkabeIto[0], "#123456", Palette.OkabeIto[1]], strokes);
    }

    [Fact]
    public void HeatmapDrawsOneCellPerFiniteValueWithAColourBar()
    {
        var values = new double[3, 4];
        for (var r = 0; r < 3; r++) for (var c = 0; c < 4; c++) values[r, c] = r * 4 + c;
        values[1, 2] = double.NaN;
        var svg = new SvgReader(new Figure().Heatmap(values, label: "value").ToSvg());
        var cells = svg.ByClass("rect", "cell");
        Assert.Equal(11, cells.Count);
        Assert.Equal("#440154", (string)cells[0].Attribute("fill")!); // minimum → first viridis stop
        Assert.Equal("#fde725", (string)cells[^1].Attribute("fill")!); // maximum → last viridis stop
        // Row 0 is drawn on top.
        Assert.True(SvgReader.Attr(cells[0], "y") < SvgReader.Attr(cells[^1], "y"));
        Assert.Single(svg.ByClass("g", "colorbar"));
        Assert.Equal(["value"], svg.Texts("colorbar-label"));
        Assert.Empty(svg.ByClass("g", "legend"));
    }

    [Fact]
    public void DivergingHeatmapIsCentredOnZero()
    {
        var svg = new SvgReader(new Figure().Heatmap(new double[,] { { -0.5, 0, 1 } }, map: ColorMap.BlueRed).ToSvg());
        var fills = svg.ByClass("rect", "cell").Select(c => (string)c.Attribute("fill")!).ToList();
        Assert.Equal("#f7f7f7", fills[1]); // zero → the white midpoint
        Assert.Equal("#b2182b", fills[2]); // the largest magnitude → the end of the map
    }

    [Fact]
    public void GroupedBarsStandSideBySideFromZero()
    {
        string[] cats = ["a", "b", "c"];
        var fig = new Figure().YLim(-10, 10).Bar(cats, [5, 2, -4], "one", std: [1, 1, 1]).Bar(cats, [3, 6, 1], "two");
        var svg = new SvgReader(fig.ToSvg());
        var (_, y, _, h) = svg.PlotArea();
        var bars = svg.ByClass("rect", "bar");
        Assert.Equal(6, bars.Count);
        var zero = y + h / 2;
        // First series: value 5 → from zero up h/4; value −4 → from zero down.
        Close(zero - h / 4, SvgReader.Attr(bars[0], "y"));
        Close(h / 4, SvgReader.Attr(bars[0], "height"));
        Close(zero, SvgReader.Attr(bars[2], "y"));
        // In each category the second series is just right of the first.
        for (var i = 0; i < 3; i++)
            Close(SvgReader.Attr(bars[i], "x") + SvgReader.Attr(bars[i], "width"), SvgReader.Attr(bars[3 + i], "x"));
        Assert.Equal(3, svg.ByClass("g", "whisker").Count);
        Assert.Equal(cats, svg.Texts("x"));
    }

    [Fact]
    public void DegenerateDataRendersWithoutThrowing()
    {
        IChart[] charts =
        [
            new Figure(),
            new Figure().Line([1.0], [2.0], "single"),
            new Figure().Line([0.0, 1, 2], [3.0, 3, 3], "constant"),
            new Figure().Line(Array.Empty<double>(), Array.Empty<double>()),
            new Figure().Line([double.NaN, double.NaN], [double.NaN, 1]),
            new Figure().LogY().Line([0.0, 1], [0.0, -1]),
            new Figure().LogX().LogY().Scatter([5.0], [5.0]),
            new Figure().Band([1.0], [0.0], [0.0]).LogY(),
            new Figure().Bar(["only"], [0]),
            new Figure().Heatmap(new double[,] { { 2 } }),
            new Figure().Heatmap(new double[,] { { double.NaN } }),
            new Figure().Heatmap(new double[0, 0]),
            Figure.Grid(4, new Figure()),
        ];
        foreach (var chart in charts)
        {
            var svg = new SvgReader(chart.ToSvg());
            Assert.DoesNotContain("NaN", chart.ToSvg());
            Assert.Single(svg.ByClass("rect", "plot-area"));
            Assert.NotEmpty(chart.ToString()!);
        }
        var single = new SvgReader(charts[1].ToSvg());
        Assert.Single(single.ByClass("circle", "line-point"));
        Assert.Equal(3, SvgReader.Subpaths(new SvgReader(charts[2].ToSvg()).ByClass("path", "line").Single()).Single().Count);
    }

    [Fact]
    public void AcceptsAnyNumericTypeAndLazySequences()
    {
        int[] epochs = [0, 1, 2];
        float[] loss = [2f, 1f, float.NaN];
        var a = new Figure().XLim(0, 2).YLim(0, 2).Line(epochs, loss).ToSvg();
        var b = new Figure().XLim(0, 2).YLim(0, 2).Line(epochs.Select(e => (double)e), new List<double> { 2, 1, double.NaN }).ToSvg();
        Assert.Equal(b, a);
        Assert.Equal(a, new Figure().XLim(0, 2).YLim(0, 2).Line(loss).ToSvg()); // x = 0, 1, 2 by default
        Assert.Equal(2, new SvgReader(new Figure().Heatmap(new[,] { { 1, 2 } }).ToSvg()).ByClass("rect", "cell").Count);
    }

    [Fact]
    public void NumbersAreWrittenInvariantlyWhateverTheCulture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var svg = new Figure().Line([0.5, 1.5], [0.25, 2.75], "x").ToSvg();
            var reader = new SvgReader(svg);
            Assert.All(reader.ByClass("rect", "plot-area"), r => Assert.DoesNotContain(",", (string)r.Attribute("x")!));
            Assert.All(reader.Texts("y"), t => Assert.DoesNotContain(",", t));
        }
        finally { CultureInfo.CurrentCulture = previous; }
    }

    [Fact]
    public void BadInputFailsWithClearMessages()
    {
        var e = Assert.Throws<ArgumentException>(() => new Figure().Line([1, 2, 3], [1, 2]));
        Assert.Contains("3", e.Message);
        Assert.Contains("2", e.Message);
        Assert.Throws<ArgumentException>(() => new Figure().Band([1, 2], [1, 2], [0.1, -0.1]));
        Assert.Throws<ArgumentException>(() => new Figure().XLim(1, 1));
        Assert.Throws<ArgumentException>(() => new Figure().YLim(0, double.NaN));
        Assert.Throws<ArgumentException>(() => new Figure().Bar(["a", "b"], [1]));
        Assert.Throws<ArgumentException>(() => new Figure().Bar(["a", "b"], [1, 2]).Bar(["a", "c"], [1, 2]));
        Assert.Throws<ArgumentException>(() => new Figure().Heatmap(new double[2, 2], columns: ["only one"]));
        Assert.Throws<InvalidOperationException>(() => new Figure().Bar(["a"], [1]).Line([1.0], [1.0]));
        Assert.Throws<InvalidOperationException>(() => new Figure().Line([1.0], [1.0]).Heatmap(new double[1, 1]));
        Assert.Throws<ArgumentException>(() => new Figure().LogY().YLim(-1, 1).Line([1.0], [1.0]).ToSvg());
        Assert.Throws<InvalidOperationException>(() => new Figure().LogX().Bar(["a"], [1]).ToSvg());
        Assert.Throws<ArgumentException>(() => Figure.Grid(0, new Figure()));
        Assert.Throws<ArgumentException>(() => Figure.Grid(2));
        Assert.Throws<InvalidOperationException>(() => Figure.Grid(2, new Figure().LogY(), new Figure()).ShareY().ToSvg());
    }

    [Fact]
    public void FiguresAndGridsShowAsSvgWithATextFallbackByConvention()
    {
        var fig = new Figure("loss").Line([0, 1], [1, 0.5], "train");
        IChart[] charts = [fig, Figure.Grid(1, fig)];
        foreach (var chart in charts)
        {
            var formats = Notebooks.FormatterConventionTests.FormatByConvention(chart);
            Assert.Equal(["image/svg+xml", "text/plain"], formats.Keys.Order());
            Assert.Equal(chart.ToSvg(), formats["image/svg+xml"]);
            Assert.Equal(chart.ToString(), formats["text/plain"]);
        }
    }

    [Fact]
    public void TextFallbackSummarisesTitleAxesAndSeries()
    {
        var text = new Figure("Loss").XLabel("epoch").YLabel("loss").LogY()
            .Line([1, 2, 3], [1, double.NaN, 0.1], "train").ToString();
        Assert.Contains("\"Loss\"", text);
        Assert.Contains("epoch", text);
        Assert.Contains("(log)", text);
        Assert.Contains("line \"train\": 3 points", text);
        Assert.Contains("1 not shown", text);
    }
}
