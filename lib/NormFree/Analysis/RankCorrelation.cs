namespace NormFree.Analysis;

/// <summary>Spearman's rank correlation ρ between two lists of numbers: Pearson's correlation of their ranks, ties
/// given the average of the ranks they span (Spearman 1904; the tie rule of scipy.stats.spearmanr). 1 when both lists
/// order the items the same way, −1 when one reverses the other. Pairs with a NaN on either side are left out; NaN
/// when fewer than two pairs remain or either side is constant. Used to ask whether a table of results keeps a
/// paper's ordering at another scale.</summary>
public static class RankCorrelation
{
    public static double spearman(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"spearman needs lists of equal length, got {a.Count} and {b.Count}");
        var pairs = Enumerable.Range(0, a.Count).Where(i => !double.IsNaN(a[i]) && !double.IsNaN(b[i])).ToArray();
        if (pairs.Length < 2) return double.NaN;
        return pearson(ranks(pairs.Select(i => a[i]).ToArray()), ranks(pairs.Select(i => b[i]).ToArray()));
    }

    /// <summary>1-based ranks, ascending; tied values share the mean of their ranks.</summary>
    public static double[] ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var result = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            var rank = (start + end) / 2.0 + 1; // the mean of ranks start + 1 … end + 1
            for (var k = start; k <= end; k++) result[order[k]] = rank;
            start = end + 1;
        }
        return result;
    }

    static double pearson(double[] x, double[] y)
    {
        var (mx, my) = (x.Average(), y.Average());
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }
}
