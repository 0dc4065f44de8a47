using NormFree.Training;

namespace NormFree.Notebooks;

/// <summary>A <see cref="SeedSummary"/> as the verdict code reads it: an <see cref="Arm"/> of the completed runs'
/// metric (failed and diverged runs counted, left out of the mean, as Farkas et al. 2019 do), or a
/// <see cref="Tally"/> of the runs that failed or diverged.</summary>
public static class SeedSummaryArms
{
    /// <summary>The metric of each completed run (default: final test accuracy).</summary>
    public static Arm ToArm(this SeedSummary summary, Func<History, double>? metric = null) =>
        new(summary.Label, [.. summary.Histories.Where(h => h.Status == TrainingStatus.Completed).Select(metric ?? (h => h.FinalTestAccuracy))],
            summary.Failed, summary.Diverged);

    /// <summary>Runs that failed to train or diverged, out of all runs.</summary>
    public static Tally FailedRuns(this SeedSummary summary) => new(summary.Label, summary.Failed + summary.Diverged, summary.Runs);

    /// <summary>Runs that diverged (a non-finite or exploding loss), out of all runs.</summary>
    public static Tally DivergedRuns(this SeedSummary summary) => new(summary.Label, summary.Diverged, summary.Runs);
}
