using NormFree.Notebooks;

namespace NormFree.Tests.Notebooks.Verdicts;

public class MeanClaimTests
{
    static readonly MeanClaim Higher = new("1. the arm is more accurate", Direction.Higher, ReferenceFloor: 0.85);
    static readonly Arm High = new("arm", [0.912, 0.905, 0.918, 0.909, 0.915]);
    static readonly Arm Low = new("reference", [0.901, 0.897, 0.905, 0.899]);

    [Fact]
    public void One_run_per_arm_is_inconclusive_never_reproduced()
    {
        var row = Higher.Judge(new Arm("arm", [0.99]), new Arm("reference", [0.86]));
        Assert.Equal(Verdict.Inconclusive, row.Verdict);
        Assert.True(double.IsNaN(row.P));
        Assert.Equal("fewer than 3 completed runs in arm; fewer than 3 completed runs in reference", row.Reason);
        Assert.Equal("0.99 (one run, no std) vs 0.86 (one run, no std)", row.MeanStd);
    }

    [Fact]
    public void The_papers_direction_with_p_below_005_is_reproduced_with_welchs_p()
    {
        var row = Higher.Judge(High, Low);
        Assert.Equal(Verdict.Reproduced, row.Verdict);
        Close.Relative(0.005513909030595899, row.P, 1e-8); // scipy.stats.ttest_ind(arm, reference, equal_var=False)
        Assert.Equal("Welch's t = 3.98, df = 6.88", row.Test);
        Assert.Equal("5 vs 4", row.Runs);
    }

    [Fact]
    public void The_opposite_direction_with_p_below_005_is_not_reproduced()
    {
        var row = (Higher with { Expected = Direction.Lower }).Judge(High, Low);
        Assert.Equal(Verdict.NotReproduced, row.Verdict);
        Assert.Equal("the opposite direction", row.Reason);
    }

    [Fact]
    public void P_at_or_above_005_is_inconclusive()
    {
        var row = Higher.Judge(new Arm("arm", [0.90, 0.92, 0.88]), new Arm("reference", [0.89, 0.91, 0.90, 0.88]));
        Assert.Equal(Verdict.Inconclusive, row.Verdict);
        Assert.Equal("p ≥ 0.05", row.Reason);
        Assert.True(row.P >= 0.05);
    }

    [Fact]
    public void A_reference_under_its_floor_is_inconclusive_whatever_the_arm_did()
    {
        var weakReference = new Arm("BN", [0.80, 0.81, 0.79, 0.80]);
        var row = Higher.Judge(new Arm("arm", [0.95, 0.96, 0.955]), weakReference);
        Assert.Equal(Verdict.Inconclusive, row.Verdict);
        Assert.Equal("reference under-trained: BN at 0.8 ± 0.008165, floor 0.85", row.Reason);
    }

    [Fact]
    public void Diverged_runs_are_counted_and_left_out_of_the_mean()
    {
        var arm = new Arm("arm", [0.912, 0.905], Diverged: 3);
        var row = Higher.Judge(arm, Low);
        Assert.Equal("2 (+3 diverged) vs 4", row.Runs);
        Assert.Equal(Verdict.Inconclusive, row.Verdict);
        Assert.Equal("fewer than 3 completed runs in arm", row.Reason);
        Assert.Equal(0.9085, arm.Sample.Mean, 12);
        Assert.Equal(5, arm.Runs);
    }

    [Fact]
    public void A_claim_asking_for_five_runs_is_inconclusive_with_four()
    {
        var row = (Higher with { MinimumRuns = 5 }).Judge(High, Low);
        Assert.Equal("fewer than 5 completed runs in reference", row.Reason);
        Assert.Throws<ArgumentException>(() => Higher with { MinimumRuns = 2 });
    }

    [Fact]
    public void Arms_without_spread_are_inconclusive_not_an_exception()
    {
        var row = Higher.Judge(new Arm("arm", [0.9, 0.9, 0.9]), new Arm("reference", [0.86, 0.86, 0.86]));
        Assert.Equal(Verdict.Inconclusive, row.Verdict);
        Assert.Equal("no spread in either arm: Welch's t is undefined", row.Reason);
    }
}
