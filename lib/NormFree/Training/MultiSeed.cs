using NormFree.Data;
using NormFree.Nn;
using NormFree.Optim;

namespace NormFree.Training;

/// <summary>Runs one config over several seeds and summarises them (mean ± std, failed and diverged runs counted):
/// <code>
/// var summary = MultiSeed.run(config, seeds: [0, 1, 2], model: () => ResNet.Build(net, parts), train, test);
/// display(summary);   // "ResNet-20: final test acc 91.02 ± 0.31%, best 91.40 ± 0.22% over 3/3 seeds"
/// </code>
/// For each seed s: the global generator is seeded with s, the model is built (so its initialisation depends on s),
/// and a <see cref="Trainer"/> runs <c>config with { Seed = s }</c>. With a checkpoint folder each seed writes into
/// <c>seed-s/</c> beneath it and a rerun resumes every unfinished seed from its latest checkpoint (finished ones are
/// read back, not retrained), so a long sweep survives being stopped. Cancelling <c>cancel</c> stops the sweep
/// between steps and summarises what ran; a notebook interrupt stops it with the data loader's
/// <see cref="OperationCanceledException"/> (see <see cref="Trainer.fit"/>).</summary>
public static class MultiSeed
{
    /// <param name="optimizer">builds the optimizer for a model (default: SGD from the config); disposed after the run.</param>
    /// <param name="onEpoch">called after every epoch of every run (e.g. a live table of all seeds).</param>
    /// <param name="gradient_hooks">builds the gradient hooks for a model (called after <paramref name="optimizer"/>
    /// for the same model), passed to its <see cref="Trainer"/>.</param>
    public static SeedSummary run(TrainConfig config, IReadOnlyList<ulong> seeds, Func<nn.Module<Tensor, Tensor>> model,
        InMemoryDataset train, InMemoryDataset test, Func<nn.Module<Tensor, Tensor>, optim.Optimizer>? optimizer = null, Action<History>? onEpoch = null,
        CancellationToken cancel = default, Func<nn.Module<Tensor, Tensor>, IEnumerable<IGradientHook>>? gradient_hooks = null)
    {
        if (seeds.Count == 0) throw new ArgumentException("need at least one seed", nameof(seeds));
        if (seeds.Distinct().Count() != seeds.Count) throw new ArgumentException($"seeds repeat: [{string.Join(", ", seeds)}]", nameof(seeds));
        var histories = new List<History>();
        var ran = new List<ulong>();
        foreach (var seed in seeds)
        {
            if (cancel.IsCancellationRequested) break;
            var run = config with
            {
                Seed = seed,
                Name = config.Name.Length > 0 ? $"{config.Name} seed {seed}" : $"seed {seed}",
                CheckpointDir = config.CheckpointDir is { } dir ? Path.Combine(dir, $"seed-{seed}") : null,
            };
            torch.manual_seed(unchecked((long)seed));
            using var net = model();
            // On its device before the optimizer and hooks see it: moving replaces the parameters they would hold.
            net.to(run.Device);
            using var opt = optimizer?.Invoke(net);
            using var trainer = new Trainer(net, train, test, run, opt, gradient_hooks?.Invoke(net));
            if (onEpoch is not null) trainer.EpochCompleted += onEpoch;
            if (run.CheckpointDir is { } d && Checkpoint.latest(d) is { } latest) trainer.load_checkpoint(latest);
            histories.Add(trainer.fit(cancel));
            ran.Add(seed);
        }
        return SeedSummary.From(config.Name, ran, histories);
    }
}
