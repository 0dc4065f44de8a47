using System.Diagnostics;
using NormFree.Data;
using NormFree.Optim;
using NormFree.Training;

namespace NormFree.Notebooks;

/// <summary>Runs a notebook's training arms over its seeds on one train/test split, prints each arm's summary with its
/// seconds per epoch, and keeps a table of where the notebook's time went (<see cref="Seconds"/>):
/// <code>
/// var runner = new ArmRunner(trainSet, testSet, seeds: [0, 1, 2]);
/// var bn = runner.Run("ResNet+BN, LR 0.05", protocol with { LearningRate = 0.05 }, () => PlainResNet.Build(net));
/// display(runner.Seconds);
/// </code></summary>
public sealed class ArmRunner(InMemoryDataset train, InMemoryDataset test, IReadOnlyList<ulong> seeds)
{
    public InMemoryDataset Train { get; } = train;
    public InMemoryDataset Test { get; } = test;
    public IReadOnlyList<ulong> Seeds { get; } = seeds;

    /// <summary>One row per arm run: runs, epochs run, mean seconds per epoch, total seconds.</summary>
    public Table Seconds { get; } = new("arm", "runs", "epochs run", "s/epoch (mean)", "total s");

    /// <summary>One arm over <see cref="Seeds"/> (or <paramref name="seeds"/>), evaluated on <see cref="Test"/> (or
    /// <paramref name="evaluation"/>, e.g. a validation split for an LR sweep); <paramref name="onEpoch"/> runs after every
    /// epoch of every run, while the run's model is alive (e.g. to measure it). See <see cref="MultiSeed.run"/>.</summary>
    public SeedSummary Run(string name, TrainConfig config, Func<nn.Module<Tensor, Tensor>> model,
        Func<nn.Module<Tensor, Tensor>, optim.Optimizer>? optimizer = null,
        Func<nn.Module<Tensor, Tensor>, IEnumerable<IGradientHook>>? gradient_hooks = null,
        IReadOnlyList<ulong>? seeds = null, InMemoryDataset? evaluation = null, CancellationToken cancel = default,
        Action<History>? onEpoch = null)
    {
        var clock = Stopwatch.StartNew();
        var summary = MultiSeed.run(config with { Name = name }, seeds ?? Seeds, model, Train, evaluation ?? Test, optimizer,
            onEpoch, cancel, gradient_hooks);
        var epochs = summary.Histories.SelectMany(h => h.Epochs).ToList();
        var perEpoch = epochs.Count == 0 ? double.NaN : epochs.Average(e => e.Seconds);
        Seconds.Add(name, summary.Runs, epochs.Count, perEpoch.ToString("F1"), clock.Elapsed.TotalSeconds.ToString("F0"));
        Console.WriteLine($"{summary}  [{clock.Elapsed.TotalSeconds:F1} s, {perEpoch:F1} s/epoch]");
        return summary;
    }
}
