using System.Diagnostics;
using NormFree.Data;
using NormFree.Nn;
using NormFree.Notebooks;
using NormFree.Optim;

namespace NormFree.Training;

/// <summary>Epochs of training and evaluation for an image classifier, with the bookkeeping every experiment needs:
/// a <see cref="History"/> per run, divergence and "failed to train" detection (the run stops, the history is kept,
/// no exception escapes), checkpoints with bit-identical resume on the CPU, a progress line per epoch and a hook
/// for live displays.
/// <code>
/// var config = new TrainConfig { Epochs = 30, LearningRate = 0.05, Schedule = new MultiStep([15, 25], 0.1) };
/// using var trainer = new Trainer(model, train, test, config);
/// trainer.EpochCompleted += h => display(h.Epochs[^1]);
/// var history = trainer.fit();
/// </code>
/// Each step, inside one dispose scope: augmentation → forward → loss → zero_grad → backward → the gradient hooks
/// (<see cref="GradientHooks.apply"/>: TorchSharp has no tensor hooks, so CZMG, LUMA, AGC edit <c>.grad</c> here) →
/// <c>optimizer.step()</c> → the LR scheduler's step (TorchSharp's <c>LambdaLR</c> from <see cref="TrainConfig.Schedule"/>,
/// stepped once per batch) → the step's loss into the history and through the divergence rule. The trainer moves the
/// model to <see cref="TrainConfig.Device"/>, and builds <c>torch.optim.SGD</c> from the config unless it is given an
/// optimizer (which the caller then owns).</summary>
public sealed class Trainer : IDisposable
{
    readonly BatchLoader train, test;
    readonly optim.Optimizer? ownOptimizer;

    public nn.Module<Tensor, Tensor> model { get; }
    public optim.Optimizer optimizer { get; }
    public TrainConfig config { get; }
    /// <summary>Run in this order on the gradients of every step, between backward and the optimizer's step.</summary>
    public IReadOnlyList<IGradientHook> gradient_hooks { get; }
    public History history { get; private set; }

    /// <summary>Epochs completed so far (the next one to run is <c>epoch + 1</c>).</summary>
    public int epoch { get; private set; }

    /// <summary>Raised after every epoch (after its checkpoint), and when a run diverges inside one, with the history so
    /// far: for live plots and tables.</summary>
    public event Action<History>? EpochCompleted;

    /// <summary>Seeds the global generator with <see cref="TrainConfig.Seed"/> (the data loader derives its own
    /// streams from it): create the trainer right before training, after the model is initialised.</summary>
    /// <param name="optimizer">default: SGD from the config (<see cref="Sgd"/>), disposed with the trainer.</param>
    /// <param name="gradient_hooks">gradient transforms for this model (e.g. a method's CZMG and LUMA, AGC), run in
    /// order on every step's gradients before the optimizer's step.</param>
    public Trainer(nn.Module<Tensor, Tensor> model, InMemoryDataset train, InMemoryDataset test, TrainConfig config, optim.Optimizer? optimizer = null,
        IEnumerable<IGradientHook>? gradient_hooks = null)
    {
        config.Validate();
        this.model = model;
        this.config = config;
        this.train = new BatchLoader(train, config.BatchSize, shuffle: true, drop_last: config.DropLast, seed: config.Seed,
            device: config.Device, transforms: config.Augmentation, mixup_alpha: config.MixupAlpha);
        this.test = new BatchLoader(test, config.EvalBatchSize, device: config.Device,
            transforms: config.Augmentation.OfType<Normalize>());
        model.to(config.Device);
        if (config.CheckpointDir is not null && optimizer is not (null or OptimizerHelper))
            throw new ArgumentException($"checkpoints save TorchSharp's managed optimizers (OptimizerHelper: SGD, Adam, ...), not {optimizer.GetType().Name}", nameof(optimizer));
        this.optimizer = optimizer ?? (ownOptimizer = Sgd(model, config));
        this.gradient_hooks = gradient_hooks?.ToArray() ?? [];
        torch.manual_seed(unchecked((long)config.Seed));
        history = new History { Label = config.Name };
    }

    /// <summary>SGD with the config's hyperparameters; with <see cref="TrainConfig.DecayOnlyWeights"/> two groups, the
    /// second (rank &lt; 2: biases, gains, scalars) without weight decay.</summary>
    public static SGD Sgd(nn.Module<Tensor, Tensor> model, TrainConfig config) => config.DecayOnlyWeights
        ? torch.optim.SGD(ParamGroups.decay_weights_only(model, config.WeightDecay), config.LearningRate, config.Momentum,
            weight_decay: config.WeightDecay, nesterov: config.Nesterov)
        : torch.optim.SGD(model.parameters(), config.LearningRate, config.Momentum, weight_decay: config.WeightDecay,
            nesterov: config.Nesterov);

    /// <summary>Restores the run from a checkpoint (default: the latest in <see cref="TrainConfig.CheckpointDir"/>);
    /// <see cref="fit"/> then continues after its epoch.</summary>
    public CheckpointInfo load_checkpoint(string? path = null)
    {
        path ??= (config.CheckpointDir is { } dir ? Checkpoint.latest(dir) : null)
            ?? throw new FileNotFoundException($"no checkpoint to resume from in '{config.CheckpointDir}'");
        // The data order and augmentation are drawn from (seed, epoch, batch): another seed would resume a different run.
        var seed = Checkpoint.metadata(path).GetValueOrDefault(SeedKey);
        if (seed != SeedText)
            throw new ArgumentException($"checkpoint '{path}' was written by a run with seed {seed}, this trainer's config has seed {SeedText}");
        var info = Checkpoint.load(path, model, optimizer);
        epoch = info.Epoch;
        history = info.History;
        return info;
    }

    /// <summary>Trains until <see cref="TrainConfig.Epochs"/> epochs are done or a stopping rule fires, and returns
    /// the history. Cancelling <paramref name="cancel"/> stops it between steps and returns the history with status
    /// Running and the reason "interrupted …". A notebook interrupt also stops it between steps, as an
    /// <see cref="OperationCanceledException"/> from the data loader (which polls <see cref="Interrupt"/>); the history
    /// so far stays in <see cref="history"/>. Calling <see cref="fit"/> again re-runs the interrupted epoch from its
    /// first batch with the weights as they are (its finished steps stay in the step losses); for an exact resume,
    /// <see cref="load_checkpoint"/> first.</summary>
    public History fit(CancellationToken cancel = default)
    {
        // The schedule's clock counts steps: put it at the first step of the next epoch (after a resume or an
        // interrupted epoch too, which re-runs from its first batch).
        var scheduler = config.Schedule.scheduler(optimizer, train.batches_per_epoch);
        scheduler.step(checked((int)(epoch * train.batches_per_epoch)));
        while (history.Status == TrainingStatus.Running && epoch < config.Epochs)
        {
            var watch = Stopwatch.StartNew();
            var result = TrainEpoch(scheduler, cancel);
            if (result is not { } r) break;
            var (testLoss, testAccuracy, classes) = evaluate(model, test);
            epoch++;
            history.Add(new EpochRecord(epoch, r.Loss, r.Accuracy, testLoss, testAccuracy, r.LearningRate,
                watch.Elapsed.TotalSeconds) { DataSeconds = r.DataSeconds });
            if (config.FailedToTrain?.Check(history, classes) is { } failed) history.Finish(TrainingStatus.FailedToTrain, failed);
            else if (epoch == config.Epochs) history.Finish(TrainingStatus.Completed);
            EndOfEpoch();
        }
        return history;
    }

    void EndOfEpoch()
    {
        if (config.CheckpointDir is { } dir && (epoch % config.CheckpointEvery == 0 || history.Status != TrainingStatus.Running))
            Checkpoint.save(Checkpoint.PathFor(dir, epoch), model, optimizer, epoch, history, config: config.ToString(),
                metadata: new Dictionary<string, string> { [SeedKey] = SeedText });
        if (config.Progress) Console.WriteLine(ProgressLine(history.Epochs[^1].ToString()));
        if (history.Status != TrainingStatus.Running && config.Progress) Console.WriteLine(ProgressLine(history.Summary));
        EpochCompleted?.Invoke(history);
    }

    const string SeedKey = "seed";
    string SeedText => config.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture);

    string ProgressLine(string text) => history.Label.Length > 0 ? $"[{history.Label}] {text}" : text;

    /// <summary>One epoch of steps; null when the run stopped inside it (diverged or interrupted).</summary>
    (double Loss, double Accuracy, double DataSeconds, double LearningRate)? TrainEpoch(optim.lr_scheduler.LRScheduler scheduler, CancellationToken token)
    {
        model.train();
        var watch = Stopwatch.StartNew();
        var waiting = new Stopwatch();
        var group = optimizer.ParamGroups.First();
        double lossSum = 0, lr = group.LearningRate;
        long correct = 0, seen = 0;
        var batches = train.batches_per_epoch;
        using var loader = train.epoch(epoch).GetEnumerator();
        while (true)
        {
            waiting.Start();
            var more = loader.MoveNext();   // the next batch: gather, scale, augment
            waiting.Stop();
            if (!more) break;
            var batch = loader.Current;
            if (token.IsCancellationRequested)
            {
                history.Reason = $"interrupted in epoch {epoch + 1} after {batch.index} steps";
                if (config.Progress) Console.WriteLine(ProgressLine(history.Reason));
                return null;
            }
            using var scope = torch.NewDisposeScope();
            var logits = model.call(batch.input);                  // (B, classes)
            var loss = batch.loss(logits, config.LabelSmoothing);
            model.zero_grad();                                     // set_to_none, as PyTorch 2's default: no zeroing kernels
            loss.backward();
            GradientHooks.apply(model.parameters(), gradient_hooks);
            optimizer.step();
            lr = group.LearningRate;                               // the rate this step used
            scheduler.step();                                      // the next step's rate

            var value = loss.item_double();
            history.AddStep(value);
            var step = history.StepLosses.Count;
            if (config.Divergence.Check(value, history.StepLosses[0], step) is { } diverged)
            {
                history.Finish(TrainingStatus.Diverged, diverged);
                if (config.Progress) Console.WriteLine(ProgressLine($"diverged: {diverged}"));
                EpochCompleted?.Invoke(history);
                return null;
            }
            lossSum += value * batch.size;
            seen += batch.size;
            correct += logits.argmax(1).eq(batch.target).sum().item_long();
            if (config.Progress && config.ProgressEverySteps > 0 && (batch.index + 1) % config.ProgressEverySteps == 0)
                Console.WriteLine(ProgressLine($"epoch {epoch + 1} step {batch.index + 1}/{batches}  loss {lossSum / seen:F4}  {watch.Elapsed.TotalSeconds:F1}s"));
        }
        return (lossSum / seen, (double)correct / seen, waiting.Elapsed.TotalSeconds, lr);
    }

    /// <summary>Mean cross-entropy and accuracy of <paramref name="model"/> over every batch of <paramref name="data"/>
    /// (epoch 0, in order) in eval mode without gradients; also the number of classes (the logits' width). The
    /// model's mode is restored.</summary>
    public static (double Loss, double Accuracy, long Classes) evaluate(nn.Module<Tensor, Tensor> model, BatchLoader data)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var no_grad = torch.no_grad();
            double lossSum = 0;
            long correct = 0, seen = 0, classes = 0;
            foreach (var batch in data.epoch(0))
            {
                using var scope = torch.NewDisposeScope();
                var logits = model.call(batch.input);              // (B, classes)
                classes = logits.size(-1);
                lossSum += F.cross_entropy(logits, batch.target).item_double() * batch.size;
                correct += logits.argmax(1).eq(batch.target).sum().item_long();
                seen += batch.size;
            }
            return (lossSum / seen, (double)correct / seen, classes);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    public void Dispose()
    {
        ownOptimizer?.Dispose();
    }
}

