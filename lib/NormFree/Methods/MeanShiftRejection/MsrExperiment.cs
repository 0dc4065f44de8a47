using System.Globalization;
using NormFree.Data;
using NormFree.Models;
using NormFree.Notebooks;
using NormFree.Training;

namespace NormFree.Methods.MeanShiftRejection;

/// <summary>What one <see cref="MsrArm"/> gave over the seeds: the <see cref="SeedSummary"/> (final test accuracy
/// mean ± std over the completed runs, diverged runs counted), one <see cref="KernelTrace"/> per run, and each run's
/// training accuracy measured at the end in eval mode (no noise, no dropout) on <see cref="MsrExperiment.TrainEval"/>
/// (NaN for a run that did not complete), for the train–test gap.</summary>
public sealed record ArmResult(MsrArm Arm, SeedSummary Summary, IReadOnlyList<KernelTrace> Traces, IReadOnlyList<double> TrainAccuracies)
{
    public IReadOnlyList<History> Histories => Summary.Histories;

    /// <summary>Runs whose loss diverged, of all runs.</summary>
    public string DivergedText => $"{Summary.Diverged}/{Summary.Runs}";

    /// <summary>How far above chance a completed run must end not to count as stalled: 5 percentage points.
    /// NOTE: our threshold (the paper reports no stalled runs): a run that stays finite yet ends within it of chance
    /// learned nothing — the other face of instability without BN, next to a diverging loss.</summary>
    public const double StallMargin = 0.05;

    /// <summary>Completed runs whose final test accuracy is at most <paramref name="chance"/> + <see cref="StallMargin"/>
    /// (chance = 1/classes: 0.1 for Fashion-MNIST and CIFAR-10).</summary>
    public int Stalled(double chance = 0.1) =>
        Histories.Count(h => h.Status == TrainingStatus.Completed && h.FinalTestAccuracy <= chance + StallMargin);

    /// <summary>Final test accuracy over the completed runs (mean, sample std).</summary>
    public (double Mean, double Std) TestAccuracy => (Summary.FinalMean, Summary.FinalStd);

    /// <summary>Eval-mode training accuracy minus final test accuracy, over the completed runs.</summary>
    public (double Mean, double Std) Gap => SeedSummary.MeanStd(Completed().Select(i => TrainAccuracies[i] - Histories[i].FinalTestAccuracy));

    /// <summary>Seconds per optimizer step, evaluation included, over all runs.</summary>
    public double SecondsPerStep
    {
        get
        {
            var steps = Histories.Sum(h => h.StepLosses.Count);
            return steps == 0 ? double.NaN : Histories.Sum(h => h.Epochs.Sum(e => e.Seconds)) / steps;
        }
    }

    /// <summary>A <see cref="KernelSnapshot"/> quantity at the last reading of each completed run (mean, std).</summary>
    public (double Mean, double Std) Final(Func<KernelSnapshot, double> quantity) =>
        SeedSummary.MeanStd(Completed().Select(i => quantity(Traces[i].Snapshots[^1])));

    /// <summary>A <see cref="KernelSnapshot"/> quantity over training, mean and std over the completed runs at each
    /// reading step they share (for a <c>Figure.Band</c>).</summary>
    public (double[] Steps, double[] Mean, double[] Std) Trajectory(Func<KernelSnapshot, double> quantity)
    {
        var runs = Completed().Select(i => Traces[i].Snapshots).ToList();
        if (runs.Count == 0) return ([], [], []);
        var steps = runs.Select(r => r.Select(s => s.Step)).Aggregate((a, b) => a.Intersect(b)).Order().ToArray();
        var stats = steps.Select(t => SeedSummary.MeanStd(runs.Select(r => quantity(r.First(s => s.Step == t))))).ToArray();
        return (steps.Select(t => (double)t).ToArray(), stats.Select(s => s.Mean).ToArray(), stats.Select(s => double.IsNaN(s.Std) ? 0 : s.Std).ToArray());
    }

    IEnumerable<int> Completed() =>
        Enumerable.Range(0, Histories.Count).Where(i => Histories[i].Status == TrainingStatus.Completed && i < Traces.Count);

    /// <summary>Whether this arm's final test accuracy is above <paramref name="other"/>'s, as the paper found:
    /// "reproduced" when the difference exceeds the combined std √(σ₁² + σ₂²) of the two means, "same order, within
    /// noise" or "opposite order, within noise" when it does not, "not reproduced" when the order is reversed by more
    /// than that; "not measurable" when either arm has no completed run, and only the order or a tie ("…, one run: no
    /// noise estimate") when either has a single one.</summary>
    public string OrderVerdict(ArmResult other)
    {
        var (a, sa) = TestAccuracy;
        var (b, sb) = other.TestAccuracy;
        if (double.IsNaN(a) || double.IsNaN(b)) return "not measurable (no completed run)";
        var d = a - b;
        if (double.IsNaN(sa) || double.IsNaN(sb)) return $"{(d > 0 ? "same order" : d < 0 ? "opposite order" : "tied")}, one run: no noise estimate";
        var noise = Math.Sqrt(sa * sa + sb * sb);
        return d > noise ? "reproduced" : d > 0 ? "same order, within noise" : d >= -noise ? "opposite order, within noise" : "not reproduced";
    }

    /// <summary>"m ± s" in percent (or "m" with one run, "–" with none).</summary>
    public static string Percent((double Mean, double Std) value) =>
        double.IsNaN(value.Mean) ? "–"
        : double.IsNaN(value.Std) ? (100 * value.Mean).ToString("F2", CultureInfo.InvariantCulture)
        : $"{(100 * value.Mean).ToString("F2", CultureInfo.InvariantCulture)} ± {(100 * value.Std).ToString("F2", CultureInfo.InvariantCulture)}";

    /// <summary>One row per arm: final test accuracy, eval-mode train accuracy minus test accuracy, diverged and
    /// stalled runs, final mean filter magnitude and CZM drift, seconds per step.</summary>
    public static Table ToTable(IEnumerable<ArmResult> results, double chance = 0.1)
    {
        var table = new Table("arm", "test acc %", "train − test %", "diverged", "stalled", "‖K_f‖ (end)", "CZM drift (end)", "s/step");
        foreach (var r in results)
            table.Add(r.Arm.Name, Percent(r.TestAccuracy), Percent(r.Gap), r.DivergedText, $"{r.Stalled(chance)}/{r.Summary.Runs}",
                r.Final(s => s.MeanNorm).Mean, r.Final(s => s.CommonModeFraction).Mean, r.SecondsPerStep);
        return table;
    }

    public override string ToString() =>
        $"{Summary} · {SecondsPerStep.ToString("F3", CultureInfo.InvariantCulture)} s/step";
}

/// <summary>The notebook's experiment of Ruff et al. (2019) at one scale: one net, one training protocol, one set of
/// seeds and one data split. <see cref="run"/> trains an <see cref="MsrArm"/> over the seeds (<see cref="MultiSeed"/>),
/// tracing the conv kernels every <see cref="TraceEvery"/> steps, and keeps the result: an arm asked for again (the
/// z sweep's z = 0.85 is the LR sweep's CZMIG at 0.4) is returned, not retrained.
/// <para>With <c>Protocol.CheckpointDir</c> set, each arm writes under a folder of its own and a rerun resumes; a run
/// read back finished from its checkpoint has only its initial kernel reading and no training accuracy.</para></summary>
public sealed class MsrExperiment(ResNetConfig net, TrainConfig protocol, IReadOnlyList<ulong> seeds,
    InMemoryDataset train, InMemoryDataset test, InMemoryDataset trainEval, int traceEvery)
{
    readonly Dictionary<MsrArm, ArmResult> results = [];

    public ResNetConfig Net => net;
    public TrainConfig Protocol => protocol;
    public IReadOnlyList<ulong> Seeds => seeds;
    public InMemoryDataset Train => train;
    public InMemoryDataset Test => test;
    /// <summary>Training examples for the end-of-run, eval-mode training accuracy.</summary>
    public InMemoryDataset TrainEval => trainEval;
    public int TraceEvery => traceEvery;

    /// <summary>Every arm run so far, in order.</summary>
    public IReadOnlyCollection<ArmResult> Results => results.Values;

    /// <summary>Trains <paramref name="arm"/> over the seeds, or returns its earlier result.</summary>
    public ArmResult run(MsrArm arm)
    {
        if (results.TryGetValue(arm, out var done)) return done;
        var config = arm.train_config(protocol) with
        {
            CheckpointDir = protocol.CheckpointDir is { } dir ? Path.Combine(dir, FolderName(arm)) : null,
        };
        var evalLoader = new BatchLoader(trainEval, config.EvalBatchSize, device: config.Device,
            transforms: config.Augmentation.OfType<Normalize>());
        var traces = new List<KernelTrace>();
        var trainAccuracies = new List<double>();
        ResNet? current = null;
        var summary = MultiSeed.run(config, seeds, () => current = arm.build(net), train, test,
            gradient_hooks: model =>
            {
                var trace = new KernelTrace((ResNet)model, traceEvery); // the model is on config.Device by now
                traces.Add(trace);
                trainAccuracies.Add(double.NaN);
                return arm.gradient_hooks((ResNet)model, trace);
            },
            onEpoch: history =>
            {
                if (history.Status == TrainingStatus.Running) return;
                var trace = traces[^1];
                var steps = history.StepLosses.Count;
                if (trace.Snapshots[^1].Step < steps) trace.record(steps); // the state after the last update
                if (history.Status == TrainingStatus.Completed) trainAccuracies[^1] = Trainer.evaluate(current!, evalLoader).Accuracy;
            });
        return results[arm] = new ArmResult(arm, summary, traces, trainAccuracies);
    }

    static string FolderName(MsrArm arm) =>
        string.Concat(arm.Name.Select(c => char.IsLetterOrDigit(c) || c == '.' ? c : '-'));
}
