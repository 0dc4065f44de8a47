using System.Globalization;
using NormFree.Notebooks;
using NormFree.Training;

namespace NormFree.Methods.MeanShiftRejection;

/// <summary>What one <see cref="MsrArm"/> gave over the seeds: the <see cref="SeedSummary"/> (runs that completed,
/// failed to train — "stalled" — or diverged), one <see cref="KernelTrace"/> per run, and each run's training accuracy
/// measured at the end in eval mode (no noise) on <see cref="MsrExperiment.TrainEval"/> (NaN for a run that did not
/// complete), for the train–test gap. The verdict code reads it as an <see cref="Notebooks.Arm"/> of one number per
/// completed run (<see cref="TestAccuracy"/>, <see cref="Gap"/>, <see cref="Kernel"/>) or as a <see cref="Tally"/>
/// of stalled and diverged runs (<see cref="FailedRuns"/>, <see cref="DivergedRuns"/>).</summary>
public sealed record ArmResult(MsrArm Arm, SeedSummary Summary, IReadOnlyList<KernelTrace> Traces, IReadOnlyList<double> TrainAccuracies)
{
    public IReadOnlyList<History> Histories => Summary.Histories;

    /// <summary>Final test accuracy of each completed run; stalled and diverged runs counted, left out.</summary>
    public Notebooks.Arm TestAccuracy() => Summary.ToArm() with { Name = Arm.Name };

    /// <summary>Eval-mode training accuracy minus final test accuracy of each completed run that has both.</summary>
    public Notebooks.Arm Gap() => Of(i => TrainAccuracies[i] - Histories[i].FinalTestAccuracy);

    /// <summary>A <see cref="KernelSnapshot"/> quantity at the last reading of each completed run.</summary>
    public Notebooks.Arm Kernel(Func<KernelSnapshot, double> quantity) => Of(i => quantity(Traces[i].Snapshots[^1]));

    /// <summary>Runs that stalled (failed to train) or diverged, of all runs.</summary>
    public Tally FailedRuns() => Summary.FailedRuns() with { Name = Arm.Name };

    /// <summary>Runs whose loss diverged, of all runs.</summary>
    public Tally DivergedRuns() => Summary.DivergedRuns() with { Name = Arm.Name };

    Notebooks.Arm Of(Func<int, double> metric) =>
        new(Arm.Name, [.. Completed().Select(metric).Where(double.IsFinite)], Summary.Failed, Summary.Diverged);

    /// <summary>Seconds per optimizer step, evaluation included, over all runs.</summary>
    public double SecondsPerStep
    {
        get
        {
            var steps = Histories.Sum(h => h.StepLosses.Count);
            return steps == 0 ? double.NaN : Histories.Sum(h => h.Epochs.Sum(e => e.Seconds)) / steps;
        }
    }

    /// <summary>A <see cref="KernelSnapshot"/> quantity over training, mean and std over the completed runs at each
    /// reading step they share (for a <c>Plots.Band</c>).</summary>
    public (double[] Steps, double[] Mean, double[] Std) Trajectory(Func<KernelSnapshot, double> quantity)
    {
        var runs = Completed().Select(i => Traces[i].Snapshots).ToList();
        if (runs.Count == 0) return ([], [], []);
        var steps = runs.Select(r => r.Select(s => s.Step)).Aggregate((a, b) => a.Intersect(b)).Order().ToArray();
        var stats = steps.Select(t => Sample.Of(runs.Select(r => quantity(r.First(s => s.Step == t))))).ToArray();
        return (steps.Select(t => (double)t).ToArray(), stats.Select(s => s.Mean).ToArray(), stats.Select(s => double.IsNaN(s.Std) ? 0 : s.Std).ToArray());
    }

    IEnumerable<int> Completed() =>
        Enumerable.Range(0, Histories.Count).Where(i => Histories[i].Status == TrainingStatus.Completed && i < Traces.Count);

    /// <summary>One row per arm: runs (completed, +failed, +diverged), final test accuracy and eval-mode train − test gap
    /// over the completed runs, stalled and diverged runs, the final mean filter magnitude and CZM drift, seconds per step.</summary>
    public static Table ToTable(IEnumerable<ArmResult> results)
    {
        var table = new Table("arm", "runs", "test accuracy", "train − test", "stalled", "diverged", "‖K_f‖ (end)", "CZM drift (end)", "s/step");
        foreach (var r in results)
        {
            var accuracy = r.TestAccuracy();
            table.Add(r.Arm.Name, accuracy.RunsText(), accuracy.Sample.ToString("P2"), r.Gap().Sample.ToString("P2"),
                $"{r.Summary.Failed}/{r.Summary.Runs}", $"{r.Summary.Diverged}/{r.Summary.Runs}",
                r.Kernel(s => s.MeanNorm).Sample.ToString("F3"), r.Kernel(s => s.CommonModeFraction).Sample.ToString("G3"),
                r.SecondsPerStep.ToString("F3", CultureInfo.InvariantCulture));
        }
        return table;
    }

    public override string ToString() =>
        $"{Summary} · {SecondsPerStep.ToString("F3", CultureInfo.InvariantCulture)} s/step";
}
