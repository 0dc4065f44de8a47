using NormFree.Analysis;

namespace NormFree.Tests.Analysis;

public class RankCorrelationTests
{
    [Fact]
    public void RanksAverageTies()
    {
        Assert.Equal([3.0, 1.5, 4.0, 1.5], RankCorrelation.ranks([5.0, 2.0, 9.0, 2.0]));
    }

    [Fact]
    public void SpearmanMatchesHandComputationAndIgnoresNaNPairs()
    {
        Assert.Equal(1.0, RankCorrelation.spearman([1.0, 2, 3, 4], [10.0, 20, 30, 400]), 1e-12); // monotone, not linear
        Assert.Equal(-1.0, RankCorrelation.spearman([1.0, 2, 3, 4], [4.0, 3, 2, 1]), 1e-12);
        // No ties: ρ = 1 − 6 Σd² / (n(n² − 1)); ranks (1,2,3,4,5) vs (2,1,4,3,5): Σd² = 4, ρ = 1 − 24/120 = 0.8.
        Assert.Equal(0.8, RankCorrelation.spearman([1.0, 2, 3, 4, 5], [2.0, 1, 4, 3, 5]), 1e-12);
        // The NaN pair is left out: the rest is the 0.8 case.
        Assert.Equal(0.8, RankCorrelation.spearman([1.0, 2, 3, 4, 5, 6], [2.0, 1, 4, 3, 5, double.NaN]), 1e-12);
        // With ties, Pearson on average ranks: x ranks (1, 2.5, 2.5, 4), y ranks (1, 2, 3, 4) → 0.9486832981.
        Assert.Equal(3 / Math.Sqrt(10), RankCorrelation.spearman([1.0, 2, 2, 3], [1.0, 2, 3, 4]), 1e-12);
        Assert.True(double.IsNaN(RankCorrelation.spearman([1.0, 1, 1], [1.0, 2, 3])));
        Assert.True(double.IsNaN(RankCorrelation.spearman([1.0, double.NaN], [1.0, 2])));
        Assert.Throws<ArgumentException>(() => RankCorrelation.spearman([1.0], [1.0, 2]));
    }
}
