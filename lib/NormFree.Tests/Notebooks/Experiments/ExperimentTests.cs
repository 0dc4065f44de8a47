using NormFree.Data;
using NormFree.Notebooks;
using NormFree.Training;

namespace NormFree.Tests.Notebooks.Experiments;

/// <summary>The pieces every training notebook shares: arms from seed summaries, the reference floor, the LR sweep,
/// and the held-out slice a sweep validates on.</summary>
public class ExperimentTests
{
    static History Run(TrainingStatus status, params double[] testAccuracies)
    {
        var h = new History();
        for (var i = 0; i < testAccuracies.Length; i++) h.Add(new EpochRecord(i + 1, 1, 0.5, 1, testAccuracies[i], 0.1, 1));
        h.Finish(status);
        return h;
    }

    static SeedSummary Summary(string label, params History[] runs) =>
        SeedSummary.From(label, [.. Enumerable.Range(0, runs.Length).Select(i => (ulong)i)], runs);

    [Fact]
    public void An_arm_keeps_completed_runs_and_counts_the_others()
    {
        var s = Summary("x", Run(TrainingStatus.Completed, 0.5, 0.8), Run(TrainingStatus.FailedToTrain, 0.1),
            Run(TrainingStatus.Diverged, 0.3), Run(TrainingStatus.Completed, 0.6, 0.7));
        var arm = s.ToArm();
        Assert.Equal([0.8, 0.7], arm.Completed);
        Assert.Equal((1, 1), (arm.Failed, arm.Diverged));
        Assert.Equal([0.5, 0.6], s.ToArm(h => h.Epochs[0].TestAccuracy).Completed);
        Assert.Equal(new Tally("x", 2, 4), s.FailedRuns());
        Assert.Equal(new Tally("x", 1, 4), s.DivergedRuns());
    }

    [Fact]
    public void Rows_under_an_under_trained_reference_turn_inconclusive_sub_claims_included()
    {
        var claim = new MeanClaim("higher", Direction.Higher);
        var row = claim.Judge(new Arm("a", [0.9, 0.91, 0.92]), new Arm("b", [0.5, 0.51, 0.52]));
        Assert.Equal(Verdict.Reproduced, row.Verdict);
        var low = new ReferenceFloor(new Arm("BN", [0.80, 0.82, 0.81]), 0.85);
        Assert.False(low.Reached);
        var floored = low.Apply(row);
        Assert.Equal(Verdict.Inconclusive, floored.Verdict);
        Assert.StartsWith("reference under-trained: BN", floored.Reason);
        var partly = low.Apply(ClaimRow.Partly("both", row, ClaimRow.NeedsGpu("deep", "depth")));
        Assert.Equal([Verdict.Inconclusive, Verdict.NeedsGpu], partly.Parts.Select(p => p.Verdict));
        var high = new ReferenceFloor(new Arm("BN", [0.86, 0.87, 0.88]), 0.85);
        Assert.True(high.Reached);
        Assert.Same(row, high.Apply(row));
        Assert.False(new ReferenceFloor(new Arm("BN", []), 0.85).Reached);
    }

    [Fact]
    public void The_sweep_chooses_the_best_mean_with_failed_runs_at_their_last_accuracy_and_diverged_at_zero()
    {
        // At 0.1 the survivor is best, but a diverged seed scores 0: (0.9 + 0) / 2 < 0.6.
        var sweep = new LrSweep("m", [
            (0.01, Summary("a", Run(TrainingStatus.Completed, 0.5), Run(TrainingStatus.Completed, 0.55))),
            (0.03, Summary("b", Run(TrainingStatus.Completed, 0.6), Run(TrainingStatus.FailedToTrain, 0.6))),
            (0.1, Summary("c", Run(TrainingStatus.Completed, 0.9), Run(TrainingStatus.Diverged, 0.8)))]);
        Assert.Equal(0.03, sweep.Chosen);
        Assert.Equal("0.01, [0.03], 0.1", sweep.GridText());
        Assert.Equal(3, sweep.ToTable().Rows.Count);
        Assert.Throws<ArgumentException>(() => new LrSweep("m", []));
    }

    [Fact]
    public void A_slice_copies_the_examples_it_names_and_rejects_ranges_outside()
    {
        using var data = new InMemoryDataset(torch.arange(10, dtype: ScalarType.Float32).reshape(10, 1), torch.arange(10) % 3, 3);
        using var held = data.slice(7, 3);
        Assert.Equal([7f, 8f, 9f], held.inputs.data<float>().ToArray());
        Assert.Equal([1L, 2L, 0L], held.targets.data<long>().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => data.slice(8, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.slice(-1, 1));
        using var none = data.slice(10, 0);
        Assert.Equal(0, none.Count);
    }
}
