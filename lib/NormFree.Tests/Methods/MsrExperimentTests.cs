using NormFree.Data;
using NormFree.Methods.MeanShiftRejection;
using NormFree.Models;
using NormFree.Optim;
using NormFree.Tests.Training;
using NormFree.Training;

namespace NormFree.Tests.Methods;

/// <summary>The arms and the experiment runner of notebook 02 on a tiny synthetic problem. They seed the global
/// generator through the multi-seed runner, so they run in the serial collection.</summary>
[Collection(SerialTrainingCollection.Name)]
public sealed class MsrExperimentTests
{
    static readonly ResNetConfig Net = ResNetConfig.ResNet(8) with { InChannels = 1 };

    [Fact]
    public void ArmsBuildTheirNetsHooksAndOptimizers()
    {
        var protocol = new TrainConfig { WeightDecay = 1e-4 };
        torch.manual_seed(1);
        using var bn = MsrArm.BatchNorm(0.1).build(Net);
        using var he = MsrArm.PlainHe(0.2).build(Net);
        using var czmig = MsrArm.Msr(MsrConfig.CZMIG, 0.4).build(Net);
        Assert.NotEmpty(bn.modules().OfType<BatchNorm2d>());
        Assert.Empty(he.modules().OfType<BatchNorm2d>());
        Assert.Empty(he.modules().OfType<NormFree.Nn.WeightNorm>());
        Assert.NotEmpty(czmig.modules().OfType<NormFree.Nn.WeightNorm>());

        var bnConfig = MsrArm.BatchNorm(0.1).train_config(protocol);
        Assert.Equal((0.1, MsrArm.L2, "BN lr 0.1"), (bnConfig.LearningRate, bnConfig.WeightDecay, bnConfig.Name));
        var msrArm = MsrArm.Msr(MsrConfig.CZMIGNoise with { Zmg = 0.98 }, 0.4);
        var msrConfig = msrArm.train_config(protocol);
        Assert.Equal((0.4, 0.0, "CZMIG lr 0.4 z 0.98 noise 0.1"), (msrConfig.LearningRate, msrConfig.WeightDecay, msrConfig.Name));
        Assert.Equal("CZMI lr 0.4 z 0 noise 0", MsrArm.Msr(MsrConfig.CZMI, 0.4).Name);

        Assert.True(MsrArm.BatchNorm(0.1).gradient_hooks(bn, new KernelTrace(bn)) is [KernelTrace]);
        Assert.True(MsrArm.PlainHe(0.2).gradient_hooks(he) is []);
        Assert.True(msrArm.gradient_hooks(czmig, new KernelTrace(czmig)) is [LumaGradient, ZeroMeanGradients { z: 0.98 }, KernelTrace]);
        using var msrOpt = Trainer.Sgd(czmig, msrConfig); // the optimizer the trainer builds from the arm's config
        Assert.All(msrOpt.ParamGroups.Cast<SGD.ParamGroup>(), g => Assert.Equal(0.0, g.Options.weight_decay!.Value));
        using var bnOpt = Trainer.Sgd(bn, bnConfig);
        Assert.All(bnOpt.ParamGroups.Cast<SGD.ParamGroup>(), g => Assert.Equal(MsrArm.L2, g.Options.weight_decay!.Value));
        // Arms compare by their numbers, not by the config's name.
        Assert.Equal(MsrArm.Msr(MsrConfig.CZMI, 0.4), MsrArm.Msr(MsrConfig.CZMIG with { Zmg = 0 }, 0.4));
        Assert.NotEqual(MsrArm.Msr(MsrConfig.CZMIG, 0.4), MsrArm.Msr(MsrConfig.CZMIG, 0.2));
    }

    [Fact]
    public void TheExperimentRunsEachArmOnceOverTheSeedsWithTracesAndTrainingAccuracies()
    {
        using var all = Synthetic.blobs(300, [1, 8, 8], 10, seed: 2, separation: 0.8);
        using var train = all.take(200);
        using var rest = torch.arange(200, 300, dtype: ScalarType.Int64);
        using var test = all.subset(rest);
        var protocol = new TrainConfig { Epochs = 2, BatchSize = 50, Progress = false, FailedToTrain = null };
        var experiment = new MsrExperiment(Net, protocol, [1, 2], train, test, train, traceEvery: 3);

        var czmig = experiment.run(MsrArm.Msr(MsrConfig.CZMIG, 0.1));
        Assert.Same(czmig, experiment.run(MsrArm.Msr(MsrConfig.CZMIG with { Name = "other" }, 0.1)));
        var bn = experiment.run(MsrArm.BatchNorm(0.1));
        Assert.Equal(2, experiment.Results.Count);

        foreach (var result in new[] { czmig, bn })
        {
            Assert.Equal(2, result.Summary.Completed);
            Assert.Equal(2, result.Traces.Count);
            // 2 epochs × 4 batches: readings at 0 (init), inside the steps after 3 and 6 updates, and after the last (8).
            Assert.All(result.Traces, t => Assert.Equal([0L, 3L, 6L, 8L], t.Snapshots.Select(s => s.Step)));
            Assert.All(result.TrainAccuracies, a => Assert.InRange(a, 0.0, 1.0));
            Assert.Equal(2, result.Gap().Sample.N);
            Assert.True(result.SecondsPerStep > 0);
            var (steps, mean, std) = result.Trajectory(s => s.MeanNorm);
            Assert.Equal([0.0, 3, 6, 8], steps);
            Assert.Equal(4, mean.Length);
            Assert.Equal(4, std.Length);
        }
        var table = ArmResult.ToTable([czmig, bn]);
        Assert.Equal(["CZMIG lr 0.1 z 0.85 noise 0", "BN lr 0.1"], table.Rows.Select(r => r[0]));
        Assert.Equal("2", table.Rows[0][1]);
        Assert.Matches(@"^\d+\.\d\d % ± \d+\.\d\d %$", table.Rows[0][2]);
        Assert.Equal(["0/2", "0/2"], table.Rows[1].Skip(4).Take(2));
        // CZMG with z = 0.85 keeps the kernels near the isocline; CZMI's readings start on it.
        Assert.Equal(1.0, czmig.Traces[0].Snapshots[0].MeanNorm, 1e-5);
        Assert.True(czmig.Kernel(s => s.CommonModeFraction).Sample.Mean < 0.1);
    }
    [Fact]
    public void ArmResultsGiveTheVerdictCodeOneNumberPerCompletedRunAndCountStalledAndDivergedRuns()
    {
        // Seeds 0–3: completed at 0.90 and 0.80, one stalled (failed to train), one diverged.
        var statuses = new[] { TrainingStatus.Completed, TrainingStatus.Completed, TrainingStatus.FailedToTrain, TrainingStatus.Diverged };
        var accuracies = new[] { 0.90, 0.80, 0.10, double.NaN };
        var histories = statuses.Select((status, i) =>
        {
            var h = new History();
            if (!double.IsNaN(accuracies[i])) h.Add(new EpochRecord(1, 1, 0.5, 1, accuracies[i], 0.1, 1));
            h.AddStep(1);
            h.Finish(status);
            return h;
        }).ToList();
        KernelTrace Trace(double norm)
        {
            using var net = MsrResNet.Build(Net, MsrConfig.CZMIG);
            using (torch.no_grad()) foreach (var k in MsrResNet.kernels(net)) k.mul_(norm); // every filter at ‖V_f‖ = norm
            return new KernelTrace(net);
        }
        var arm = MsrArm.Msr(MsrConfig.CZMIG, 0.4);
        var result = new ArmResult(arm, SeedSummary.From(arm.Name, [0, 1, 2, 3], histories),
            [Trace(1.0), Trace(2.0), Trace(1.0), Trace(1.0)], [0.95, 0.90, double.NaN, double.NaN]);

        var accuracy = result.TestAccuracy();
        Assert.Equal(("CZMIG lr 0.4 z 0.85 noise 0", 2, 1, 1), (accuracy.Name, accuracy.Completed.Count, accuracy.Failed, accuracy.Diverged));
        Assert.Equal(0.85, accuracy.Sample.Mean, 1e-12);
        Assert.Equal([0.05, 0.10], result.Gap().Completed.Select(g => Math.Round(g, 12)));
        Assert.Equal([1.0, 2.0], result.Kernel(s => s.MeanNorm).Completed.Select(n => Math.Round(n, 5)));
        Assert.Equal(("CZMIG lr 0.4 z 0.85 noise 0", 2, 4), (result.FailedRuns().Name, result.FailedRuns().Events, result.FailedRuns().Runs));
        Assert.Equal((1, 4), (result.DivergedRuns().Events, result.DivergedRuns().Runs));
        var row = ArmResult.ToTable([result]).Rows[0];
        Assert.Equal(["CZMIG lr 0.4 z 0.85 noise 0", "2 (+1 failed, +1 diverged)", "85.00 % ± 7.07 %"], row.Take(3));
        Assert.Equal(["1/4", "1/4"], row.Skip(4).Take(2));
    }

    [Fact]
    public void AnArmAskedForAgainOverOtherSeedsIsRefused()
    {
        using var all = Synthetic.blobs(120, [1, 8, 8], 10, seed: 3, separation: 0.8);
        using var train = all.take(100);
        var protocol = new TrainConfig { Epochs = 1, BatchSize = 50, Progress = false, FailedToTrain = null };
        var experiment = new MsrExperiment(Net, protocol, [1], train, train, train, traceEvery: 1);
        var he = experiment.run(MsrArm.PlainHe(0.1), [1, 2]);
        Assert.Equal([1UL, 2UL], he.Summary.Seeds);
        Assert.Same(he, experiment.run(MsrArm.PlainHe(0.1), [1, 2]));
        Assert.Throws<ArgumentException>(() => experiment.run(MsrArm.PlainHe(0.1)));
        Assert.Single(experiment.Seconds.Rows);
    }
}
