using NormFree.Notebooks;

namespace NormFree.Tests.Notebooks.Verdicts;

/// <summary>Rate, ordering and tolerance claims, and the rows that combine or defer claims.</summary>
public class ClaimRowTests
{
    static readonly RateClaim DivergesLess = new("2. SkipInit diverges less often", "diverged", Direction.Lower);

    [Fact]
    public void A_rate_claim_uses_fishers_exact_test_on_the_counts()
    {
        var row = DivergesLess.Judge(new Tally("SkipInit", 0, 5), new Tally("no norm", 5, 5));
        Assert.Equal(Verdict.Reproduced, row.Verdict);
        Close.Relative(0.007936507936507938, row.P, 1e-9); // scipy.stats.fisher_exact([[0, 5], [5, 0]])
        Assert.Equal("0/5 vs 5/5 diverged", row.MeanStd);
        Assert.Equal("Fisher's exact, odds ratio 0", row.Test);
    }

    [Fact]
    public void A_rate_claim_with_too_few_runs_is_inconclusive()
    {
        var row = DivergesLess.Judge(new Tally("SkipInit", 0, 2), new Tally("no norm", 2, 2));
        Assert.Equal(Verdict.Inconclusive, row.Verdict);
        Assert.Equal("fewer than 3 runs in SkipInit; fewer than 3 runs in no norm", row.Reason);
        Assert.Throws<ArgumentException>(() => new Tally("x", 4, 3));
    }

    [Fact]
    public void An_ordering_claim_uses_spearman_and_counts_rows_without_a_value()
    {
        double[] depth = [0.1, 0.2, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
        double[] accuracy = [9, 9, 7, 6, 6, 3, 2, 1, double.NaN];
        var row = new OrderingClaim("3. accuracy falls with depth", Direction.Lower).Judge("9 depths", depth, accuracy);
        Assert.Equal(Verdict.Reproduced, row.Verdict);
        Close.Relative(3.4896398846122185e-05, row.P, 1e-9); // scipy.stats.spearmanr on the eight rows with a value
        Assert.Equal("8 rows", row.Runs);
        Assert.Equal("1 of 9 rows without a value, left out", row.Reason);
    }

    [Fact]
    public void An_ordering_claim_on_two_rows_is_inconclusive()
    {
        var row = new OrderingClaim("3.", Direction.Higher).Judge("2 methods", [1, 2, 3], [0.9, 0.8, double.NaN]);
        Assert.Equal(Verdict.Inconclusive, row.Verdict);
        Assert.Equal("fewer than 3 rows with values; 1 of 3 rows without a value, left out", row.Reason);
    }

    [Fact]
    public void A_tolerance_claim_is_reproduced_inside_and_not_reproduced_outside()
    {
        var claim = new ToleranceClaim("4. channel means are zero at init", Tolerance.AbsoluteOf(1e-6));
        Assert.Equal(Verdict.Reproduced, claim.Judge("mean", 3e-7, 0).Verdict);
        var outside = claim.Judge("mean", 2e-3, 0);
        Assert.Equal(Verdict.NotReproduced, outside.Verdict);
        Assert.Equal("|Δ| = 0.002", outside.Reason);
        Assert.Equal(Verdict.Inconclusive, claim.Judge("mean", double.NaN, 0).Verdict);
    }

    [Fact]
    public void Sub_claims_that_differ_make_a_partly_row_naming_each()
    {
        var a = ClaimRow.NeedsGpu("5a. ImageNet", "90 epochs");
        var b = new ToleranceClaim("5b. unit variance", Tolerance.AbsoluteOf(0.05)).Judge("var", 1.01, 1);
        var row = ClaimRow.Partly("5. the method scales", a, b);
        Assert.Equal(Verdict.Partly, row.Verdict);
        Assert.Equal("5a. ImageNet: needs GPU; 5b. unit variance: reproduced", row.Reason);
        Assert.Equal(Verdict.Reproduced, ClaimRow.Partly("6.", b, b with { Claim = "6b." }).Verdict);
        Assert.Throws<ArgumentException>(() => ClaimRow.Partly("7.", b));
    }

    [Fact]
    public void The_vocabulary_prints_the_words_of_verdicts_md()
    {
        Assert.Equal(["reproduced", "not reproduced", "inconclusive", "needs GPU", "partly"], Enum.GetValues<Verdict>().Select(v => v.Words()));
    }
}
