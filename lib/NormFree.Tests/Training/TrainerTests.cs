using NormFree.Data;
using NormFree.Nn;
using NormFree.Notebooks;
using NormFree.Optim;
using NormFree.Tests.Data;
using NormFree.Training;

namespace NormFree.Tests.Training;

/// <summary>The trainer on small synthetic problems (a second or so each). They seed and replay the global
/// generator, so they run in the serial collection.</summary>
[Collection(SerialTrainingCollection.Name)]
public sealed class TrainerTests : IDisposable
{
    readonly TempFolder folder = new();
    // 10 classes of 1×8×8 Gaussian blobs (one draw, split 640 / 200): learnable in a couple of epochs by a tiny CNN.
    readonly InMemoryDataset train, test;

    public TrainerTests()
    {
        using var all = Synthetic.blobs(840, [1, 8, 8], 10, seed: 1, separation: 0.6);
        train = all.take(640);
        using var rest = torch.arange(640, 840, dtype: ScalarType.Int64);
        test = all.subset(rest);
    }

    public void Dispose()
    {
        train.Dispose();
        test.Dispose();
        folder.Dispose();
    }

    /// <summary>Conv → ReLU → Dropout → pool → Linear: every kind of state a resume has to restore (weights, momentum,
    /// the dropout generator).</summary>
    static Sequential SmallCnn() => nn.Sequential(nn.Conv2d(1, 8, 3, padding: 1), nn.ReLU(), nn.Dropout(0.2),
        nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 4 * 4, 10));

    TrainConfig Config(string name) => new()
    {
        Name = name, Epochs = 3, BatchSize = 32, LearningRate = 0.05, Momentum = 0.9, WeightDecay = 5e-4,
        DecayOnlyWeights = true, Schedule = new LinearWarmup(0.5) * new MultiStep([2], 0.2),
        Augmentation = [new RandomCrop(1), new RandomHorizontalFlip()], Progress = false,
        CheckpointDir = Path.Combine(folder.Path, name),
    };

    static Dictionary<string, byte[]> Weights(nn.Module<Tensor, Tensor> m) => m.state_dict().ToDictionary(e => e.Key, e => e.Value.bytes.ToArray());

    [Fact]
    public void ResumedRunEndsWithTheSameWeightsBitForBit()
    {
        // Uninterrupted run.
        torch.manual_seed(3);
        using var a = SmallCnn();
        using var full = new Trainer(a, train, test, Config("full"));
        var fullHistory = full.fit();
        Assert.Equal(TrainingStatus.Completed, fullHistory.Status);

        // The same run, stopped after epoch 1 (as a kill would, between epochs).
        torch.manual_seed(3);
        using var b = SmallCnn();
        using var stop = new CancellationTokenSource();
        using (var first = new Trainer(b, train, test, Config("killed")))
        {
            first.EpochCompleted += h => { if (h.Epochs.Count == 1) stop.Cancel(); };
            var partial = first.fit(stop.Token);
            Assert.Equal(TrainingStatus.Running, partial.Status);
            Assert.Single(partial.Epochs);
        }

        // A fresh process would build a differently initialised model and reseed; the checkpoint must override it all.
        torch.manual_seed(12345);
        using var c = SmallCnn();
        using var resumed = new Trainer(c, train, test, Config("killed"));
        var info = resumed.load_checkpoint();
        Assert.Equal(1, info.Epoch);
        var resumedHistory = resumed.fit();

        Assert.Equal(TrainingStatus.Completed, resumedHistory.Status);
        Assert.Equal(Weights(a), Weights(c));
        Assert.Equal(fullHistory.StepLosses, resumedHistory.StepLosses);
        Assert.Equal(fullHistory.Epochs.Select(e => e.TestAccuracy), resumedHistory.Epochs.Select(e => e.TestAccuracy));
        Assert.Equal(Checkpoint.PathFor(Path.Combine(folder.Path, "full"), 3), Checkpoint.latest(Path.Combine(folder.Path, "full")));

        // Resuming under another seed would replay another data order: refused.
        using var d = SmallCnn();
        using var wrongSeed = new Trainer(d, train, test, Config("killed") with { Seed = 9 });
        var e = Assert.Throws<ArgumentException>(() => wrongSeed.load_checkpoint());
        Assert.Contains("seed 0", e.Message);
    }

    [Fact]
    public void HugeLearningRateDivergesWithinAFewStepsAndKeepsTheHistory()
    {
        torch.manual_seed(0);
        using var model = SmallCnn();
        using var trainer = new Trainer(model, train, test, Config("diverge") with { LearningRate = 1e3, CheckpointDir = null });
        var calls = 0;
        trainer.EpochCompleted += _ => calls++;
        var history = trainer.fit();
        Assert.Equal(TrainingStatus.Diverged, history.Status);
        Assert.InRange(history.StepLosses.Count, 2, 5);
        Assert.Empty(history.Epochs);
        Assert.Contains("step", history.Reason);
        Assert.Equal(1, calls);   // the display hook still hears about it
        Assert.True(double.IsFinite(history.StepLosses[0]));
    }

    [Fact]
    public void DeadNetworkFailsToTrainAfterTheRulesEpochs()
    {
        // Every hidden ReLU is dead (bias −100 ≫ |w·x|), so the logits are the output bias: one class predicted for all
        // test examples, so the test accuracy is that class's share, about chance, epoch after epoch.
        torch.manual_seed(0);
        using var model = nn.Sequential(nn.Flatten(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10));
        using (torch.no_grad()) model.state_dict()["1.bias"].fill_(-100);
        var config = Config("dead") with { Epochs = 6, FailedToTrain = new FailedToTrainRule(Epochs: 2, Margin: 0.05), CheckpointDir = null };
        using var trainer = new Trainer(model, train, test, config);
        var history = trainer.fit();
        Assert.Equal(TrainingStatus.FailedToTrain, history.Status);
        Assert.Equal(2, history.Epochs.Count);
        Assert.All(history.Epochs, e => Assert.True(e.TestAccuracy <= 0.1 + 0.05, $"test accuracy {e.TestAccuracy}"));

        // The same data with a live network makes progress and completes.
        torch.manual_seed(0);
        using var live = SmallCnn();
        using var ok = new Trainer(live, train, test, config with { Epochs = 2 });
        var good = ok.fit();
        Assert.Equal(TrainingStatus.Completed, good.Status);
        Assert.All(good.Epochs, e => Assert.InRange(e.DataSeconds, 1e-9, e.Seconds));
        Assert.True(good.FinalTestAccuracy > 0.3, $"test accuracy {good.FinalTestAccuracy}");
    }

    [Fact]
    public void MultiSeedRunsEverySeedAggregatesAndResumesFinishedSeeds()
    {
        var config = Config("sweep") with { Epochs = 2 };
        var seen = new List<string>();
        var summary = MultiSeed.run(config, [4, 5, 6], SmallCnn, train, test, onEpoch: h => seen.Add(h.Label));
        Assert.Equal(3, summary.Runs);
        Assert.Equal(3, summary.Completed);
        Assert.Equal(["sweep seed 4", "sweep seed 4", "sweep seed 5", "sweep seed 5", "sweep seed 6", "sweep seed 6"], seen);
        var finals = summary.Histories.Select(h => h.FinalTestAccuracy).ToArray();
        Assert.Equal(finals.Average(), summary.FinalMean, 1e-12);
        Assert.Equal(SeedSummary.MeanStd(finals).Std, summary.FinalStd, 1e-12);
        Assert.NotEqual(summary.Histories[0].StepLosses, summary.Histories[1].StepLosses);   // seeds differ
        Assert.StartsWith("sweep: final test acc ", summary.ToString());

        // Run again with the same folder: every seed is read back from its final checkpoint, not retrained.
        seen.Clear();
        var again = MultiSeed.run(config, [4, 5, 6], SmallCnn, train, test, onEpoch: h => seen.Add(h.Label));
        Assert.Empty(seen);
        Assert.Equal(summary.FinalMean, again.FinalMean);
        Assert.Equal(summary.Histories.Select(h => h.StepLosses), again.Histories.Select(h => h.StepLosses));

        // A sweep with a diverging seed counts it and leaves it out of the mean.
        var mixed = MultiSeed.run(config with { CheckpointDir = null, Epochs = 1 }, [7, 8], SmallCnn, train, test,
            optimizer: m => torch.optim.SGD(m.parameters(), 1e4));
        Assert.Equal(2, mixed.Diverged);
        Assert.True(double.IsNaN(mixed.FinalMean));
    }

    [Fact]
    public void LiveTensorCountIsFlatAcrossEpochs()
    {
        torch.manual_seed(0);
        using var model = SmallCnn();
        using var trainer = new Trainer(model, train, test, Config("leak") with { Epochs = 4, CheckpointDir = null });
        var thread = new List<long>();
        var process = new List<long>();
        trainer.EpochCompleted += _ =>
        {
            thread.Add(LeakCheck.ThreadLive);     // before any collection: what the dispose scopes did not free
            LeakCheck.SettleGarbage();
            process.Add(Tensor.TotalCount);       // every thread's (autograd's too), once the finalizers have run
        };
        Assert.Equal(TrainingStatus.Completed, trainer.fit().Status);
        // Epoch 1 creates the momentum buffers; from then on nothing may accumulate.
        Assert.Equal(thread[1], thread[3]);
        Assert.Equal(process[1], process[3]);
    }

    [Fact]
    public void PrintsOneLinePerEpochAndEveryNSteps()
    {
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        try
        {
            torch.manual_seed(0);
            using var model = SmallCnn();
            using var trainer = new Trainer(model, train, test,
                Config("print") with { Epochs = 2, Progress = true, ProgressEverySteps = 10, CheckpointDir = null });
            trainer.fit();
        }
        finally
        {
            Console.SetOut(console);
        }
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Count(l => l.StartsWith("[print] epoch   ")));
        Assert.Equal(4, lines.Count(l => l.Contains(" step ") && l.Contains("/20")));   // 640 / 32 = 20 steps: at 10 and 20
        Assert.Contains(lines, l => l.StartsWith("[print] Completed, 2 epochs, 40 steps, final test acc "));
    }

    [Fact]
    public void NotebookInterruptStopsBetweenStepsAndFitGoesOnAfterwards()
    {
        torch.manual_seed(0);
        using var model = SmallCnn();
        using var trainer = new Trainer(model, train, test, Config("interrupt") with { Epochs = 2, CheckpointDir = null });
        using var interrupt = new CancellationTokenSource();
        trainer.EpochCompleted += h => { if (h.Epochs.Count == 1) interrupt.Cancel(); };
        Interrupt.Token = interrupt.Token;
        try
        {
            Assert.ThrowsAny<OperationCanceledException>(() => trainer.fit());
        }
        finally
        {
            Interrupt.Token = CancellationToken.None;
        }
        Assert.Single(trainer.history.Epochs);
        Assert.Equal(TrainingStatus.Running, trainer.history.Status);
        var history = trainer.fit();
        Assert.Equal(TrainingStatus.Completed, history.Status);
        Assert.Equal(2, history.Epochs.Count);
    }
}
