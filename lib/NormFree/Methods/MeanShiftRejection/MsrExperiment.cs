using System.Diagnostics;
using System.Globalization;
using NormFree.Data;
using NormFree.Models;
using NormFree.Notebooks;
using NormFree.Training;

namespace NormFree.Methods.MeanShiftRejection;

/// <summary>The notebook's experiment of Ruff et al. (2019) at one scale: one net, one training protocol, one set of
/// seeds and one data split. <see cref="run"/> trains an <see cref="MsrArm"/> over the seeds (<see cref="MultiSeed"/>),
/// tracing the conv kernels every <see cref="TraceEvery"/> steps, and keeps the result: an arm asked for again (the
/// z sweep's z = 0.85 is the LR sweep's CZMIG at 0.4) is returned, not retrained. An arm may run over more seeds
/// than the default (a rate claim needs ≥ 4 runs per arm for Fisher's exact test to reach p &lt; 0.05 at all); it prints
/// its summary with its seconds per epoch and adds a row to <see cref="Seconds"/>.
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

    /// <summary>One row per arm run: runs, epochs run, mean seconds per epoch, total seconds.</summary>
    public Table Seconds { get; } = new("arm", "runs", "epochs run", "s/epoch (mean)", "total s");

    /// <summary>Trains <paramref name="arm"/> over <see cref="Seeds"/> (or <paramref name="armSeeds"/>), or returns its
    /// earlier result, which must have run over the same seeds.</summary>
    public ArmResult run(MsrArm arm, IReadOnlyList<ulong>? armSeeds = null)
    {
        armSeeds ??= seeds;
        if (results.TryGetValue(arm, out var done))
            return done.Summary.Seeds.SequenceEqual(armSeeds) ? done
                : throw new ArgumentException($"{arm} ran over seeds [{string.Join(", ", done.Summary.Seeds)}], not [{string.Join(", ", armSeeds)}]", nameof(armSeeds));
        var clock = Stopwatch.StartNew();
        var config = arm.train_config(protocol) with
        {
            CheckpointDir = protocol.CheckpointDir is { } dir ? Path.Combine(dir, FolderName(arm)) : null,
        };
        var evalLoader = new BatchLoader(trainEval, config.EvalBatchSize, device: config.Device,
            transforms: config.Augmentation.OfType<Normalize>());
        var traces = new List<KernelTrace>();
        var trainAccuracies = new List<double>();
        ResNet? current = null;
        var summary = MultiSeed.run(config, armSeeds, () => current = arm.build(net), train, test,
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
        var epochs = summary.Histories.SelectMany(h => h.Epochs).ToList();
        var perEpoch = epochs.Count == 0 ? double.NaN : epochs.Average(e => e.Seconds);
        Seconds.Add(arm.Name, summary.Runs, epochs.Count, perEpoch.ToString("F1", CultureInfo.InvariantCulture), clock.Elapsed.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture));
        var result = results[arm] = new ArmResult(arm, summary, traces, trainAccuracies);
        Console.WriteLine($"{result}  [{clock.Elapsed.TotalSeconds:F1} s, {perEpoch:F1} s/epoch]");
        return result;
    }

    static string FolderName(MsrArm arm) =>
        string.Concat(arm.Name.Select(c => char.IsLetterOrDigit(c) || c == '.' ? c : '-'));
}
