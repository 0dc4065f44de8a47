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

    /// <summary>A run with more points than the plot has pixel columns, reduced per column to its first, lowest,
    /// highest and last point (M4: Jugel et al., "M4: a visualization-oriented time series data aggregation",
    /// VLDB 2014). The polyline looks the same at screen resolution, and a 50 000-step loss curve stays a few kB
    /// instead of megabytes in the saved notebook. Shorter runs are returned as they are.</summary>
    public List<(double X, double Y)> Decimate(List<(double X, double Y)> run)
    {
        if (run.Count <= Width) return run;
        var kept = new List<(double X, double Y)>();
        for (var i = 0; i < run.Count;)
        {
            var column = Math.Floor(run[i].X);
            var (j, lo, hi) = (i, i, i);
            for (; j < run.Count && Math.Floor(run[j].X) == column; j++)
            {
                if (run[j].Y < run[lo].Y) lo = j;
                if (run[j].Y > run[hi].Y) hi = j;
            }
            foreach (var k in new[] { i, lo, hi, j - 1 }.Distinct().Order()) kept.Add(run[k]);
            i = j;
        }
        return kept;
    }
}
