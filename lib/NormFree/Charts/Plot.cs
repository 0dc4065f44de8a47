namespace NormFree.Charts;

/// <summary>A panel's plot area in pixels and the two axes that map data into it.</summary>
internal sealed record Plot(Axis X, Axis Y, double Left, double Top, double Width, double Height)
{
    public double Right => Left + Width;
    public double Bottom => Top + Height;

    /// <summary>The points of <c>(xs[i], ys[i])</c> in pixels, split into runs at every point the axes cannot show
    /// (NaN, ±∞, ≤ 0 on a log axis): a gap in the data is a gap in the line, not a break of the whole path.</summary>
    public List<List<(double X, double Y)>> Runs(IReadOnlyList<double> xs, IReadOnlyList<double> ys)
    {
        var runs = new List<List<(double X, double Y)>>();
        List<(double X, double Y)>? run = null;
        for (var i = 0; i < xs.Count; i++)
        {
            if (!X.Accepts(xs[i]) || !Y.Accepts(ys[i])) { run = null; continue; }
            if (run is null) runs.Add(run = []);
            run.Add((X.Map(xs[i]), Y.Map(ys[i])));
        }
        return runs;
    }
}
