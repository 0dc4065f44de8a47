namespace NormFree.Notebooks;

/// <summary>Ranks for rank statistics.</summary>
public static class Ranks
{
    /// <summary>1-based ranks, ascending; tied values share the mean of the ranks they span (scipy.stats.rankdata's
    /// default method "average", the tie rule of Spearman's ρ).</summary>
    public static double[] Average(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            var rank = (start + end) / 2.0 + 1; // the mean of ranks start + 1 … end + 1
            for (var k = start; k <= end; k++) ranks[order[k]] = rank;
            start = end + 1;
        }
        return ranks;
    }
}
