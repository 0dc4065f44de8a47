namespace NormFree.Charts;

/// <summary>One thing drawn in a panel: its data, how it draws itself into a <see cref="Plot"/>, its legend swatch
/// and a one-line text description (the text/plain view of a figure).</summary>
internal abstract class Series(string? label, string color)
{
    public string? Label { get; } = label;
    public string Color { get; } = color;

    /// <summary>Values that the x and y limits must include.</summary>
    public virtual IEnumerable<double> XExtent => [];
    public virtual IEnumerable<double> YExtent => [];

    public abstract void Draw(Svg svg, Plot plot);

    /// <summary>The legend swatch, <see cref="Legend.SwatchWidth"/> wide, starting at x and centred on y.</summary>
    public abstract void DrawSwatch(Svg svg, double x, double y);

    /// <summary>Pixel points this series covers; the legend goes to the corner that hides fewest of them.</summary>
    public virtual IEnumerable<(double X, double Y)> Footprint(Plot plot) => [];

    public abstract string Describe(Scale x, Scale y);

    protected string Name(string kind) => Label is null ? kind : $"{kind} \"{Label}\"";

    /// <summary>"n points, x a…b, y c…d (k not shown)" over the points both axes can show.</summary>
    protected static string Summary(IReadOnlyList<double> xs, IReadOnlyList<double> ys, Scale xScale, Scale yScale)
    {
        var shown = Enumerable.Range(0, xs.Count)
            .Where(i => Axis.Accepts(xScale, xs[i]) && Axis.Accepts(yScale, ys[i])).ToList();
        var text = $"{xs.Count} point{(xs.Count == 1 ? "" : "s")}";
        if (shown.Count > 0)
            text += $", x {Range(shown.Select(i => xs[i]))}, y {Range(shown.Select(i => ys[i]))}";
        if (shown.Count < xs.Count) text += $" ({xs.Count - shown.Count} not shown: non-finite or ≤ 0 on a log axis)";
        return text;
    }

    protected static string Range(IEnumerable<double> values)
    {
        var list = values.ToList();
        var (lo, hi) = (list.Min(), list.Max());
        return lo == hi ? Ticks.Short(lo) : $"{Ticks.Short(lo)}…{Ticks.Short(hi)}";
    }

    /// <summary>Points sampled every few pixels along each run, so a line crossing a corner counts there.</summary>
    protected static IEnumerable<(double X, double Y)> Along(IEnumerable<List<(double X, double Y)>> runs)
    {
        const double every = 6; // px
        foreach (var run in runs)
        {
            for (var i = 0; i < run.Count; i++)
            {
                yield return run[i];
                if (i + 1 == run.Count) break;
                var (a, b) = (run[i], run[i + 1]);
                var n = (int)Math.Min(200, Math.Ceiling(Math.Sqrt(Math.Pow(b.X - a.X, 2) + Math.Pow(b.Y - a.Y, 2)) / every));
                for (var k = 1; k < n; k++) yield return (a.X + (b.X - a.X) * k / n, a.Y + (b.Y - a.Y) * k / n);
            }
        }
    }

    protected static void CheckLengths(string what, IReadOnlyList<double> xs, IReadOnlyList<double> ys, string xName = "xs", string yName = "ys")
    {
        ArgumentNullException.ThrowIfNull(xs, xName);
        ArgumentNullException.ThrowIfNull(ys, yName);
        if (xs.Count != ys.Count)
            throw new ArgumentException($"{what}: {xName} has {xs.Count} values but {yName} has {ys.Count}; they must have the same length");
    }
}
