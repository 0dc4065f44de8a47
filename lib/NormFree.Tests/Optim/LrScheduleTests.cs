using NormFree.Optim;

namespace NormFree.Tests.Optim;

public class LrScheduleTests
{
    [Fact]
    public void MultiStepCountsMilestonesReached()
    {
        var s = new MultiStep([60, 120, 160], gamma: 0.2);
        Assert.Equal(1, s.at(0));
        Assert.Equal(1, s.at(59.99));
        Assert.Equal(0.2, s.at(60), 1e-15);
        Assert.Equal(0.2, s.at(119.9), 1e-15);
        Assert.Equal(0.04, s.at(120.5), 1e-15);
        Assert.Equal(0.008, s.at(199), 1e-15);
        Assert.Equal(new MultiStep([160, 60, 120], 0.2), s);
    }

    [Fact]
    public void LinearWarmupRampsThenHolds()
    {
        var s = new LinearWarmup(4, start_factor: 0.2);
        Assert.Equal(0.2, s.at(0), 1e-15);
        Assert.Equal(0.6, s.at(2), 1e-15);
        Assert.Equal(1, s.at(4), 1e-15);
        Assert.Equal(1, s.at(100), 1e-15);
    }

    [Fact]
    public void QuadraticWarmupIsArpitsFormula()
    {
        // lr = w₀ + α²(lr − w₀) with lr = 0.1, w₀ = 0.01, α = 0.5 → 0.01 + 0.25·0.09 = 0.0325
        var s = new QuadraticWarmup(2, start_factor: 0.1);
        Assert.Equal(0.0325, 0.1 * s.at(1), 1e-15);
        Assert.Equal(0.1, s.at(0), 1e-15);
        Assert.Equal(1, s.at(2), 1e-15);
        Assert.Equal(1, s.at(3), 1e-15);
    }

    [Fact]
    public void CosineFallsFromOneToTheFinalFactor()
    {
        var s = new Cosine(10, final_factor: 0.1);
        Assert.Equal(1, s.at(0), 1e-15);
        Assert.Equal(0.55, s.at(5), 1e-15);
        Assert.Equal(0.1 + 0.9 * (1 + Math.Cos(Math.PI * 0.3)) / 2, s.at(3), 1e-15);
        Assert.Equal(0.1, s.at(10), 1e-15);
        Assert.Equal(0.1, s.at(12), 1e-15);
    }

    [Fact]
    public void ProductAndChainCompose()
    {
        var warm_steps = new LinearWarmup(2) * new MultiStep([3], 0.1);
        Assert.Equal(0.5, warm_steps.at(1), 1e-15);
        Assert.Equal(1, warm_steps.at(2.5), 1e-15);
        Assert.Equal(0.1, warm_steps.at(3), 1e-15);
        var warm_cos = new LinearWarmup(2).Then(2, new Cosine(8));
        Assert.Equal(0.5, warm_cos.at(1), 1e-15);
        Assert.Equal(1, warm_cos.at(2), 1e-15);
        Assert.Equal(0.5, warm_cos.at(6), 1e-15);
        Assert.Equal(0, warm_cos.at(10), 1e-15);
    }

    /// <summary>Stepped once per batch, TorchSharp's scheduler gives each group its initial LR × at(k / batches per
    /// epoch) after k steps — the same double, not an approximation — through warmup, milestones and epoch ends.</summary>
    [Fact]
    public void SchedulerSetsEachGroupsLrPerBatchExactlyAsAt()
    {
        using var a = new Parameter(torch.zeros([1]));
        using var b = new Parameter(torch.zeros([1]));
        // Both LRs explicit: TorchSharp's SGD.ParamGroup(params) defaults to lr 1e-3, not to the optimizer's LR.
        using var optimizer = torch.optim.SGD([new SGD.ParamGroup([a], lr: 0.1), new SGD.ParamGroup([b], lr: 0.01)], 0.5);
        const long batchesPerEpoch = 4;
        var schedule = new LinearWarmup(1.5, start_factor: 0.1) * new MultiStep([2, 2.75], 0.1);
        var scheduler = schedule.scheduler(optimizer, batchesPerEpoch);
        double[] initial = [0.1, 0.01];
        for (var k = 0; k <= 4 * batchesPerEpoch; k++)
        {
            var groups = optimizer.ParamGroups.ToList();
            for (var i = 0; i < groups.Count; i++)
                Assert.Equal(initial[i] * schedule.at(k / (double)batchesPerEpoch), groups[i].LearningRate);
            optimizer.step();
            scheduler.step();
        }
        // Spot values: warmup half way at t = 0.75 (batch 3), ÷10 at t = 2, ÷100 at t = 2.75.
        Assert.Equal(0.55, schedule.at(0.75), 1e-15);
        Assert.Equal(0.1, schedule.at(2), 1e-15);
        Assert.Equal(0.01, schedule.at(2.75), 1e-15);
    }

    [Fact]
    public void SchedulerNeedsPositiveBatchesPerEpoch()
    {
        using var a = new Parameter(torch.zeros([1]));
        using var optimizer = torch.optim.SGD([a], 0.1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Constant().scheduler(optimizer, 0));
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cosine(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearWarmup(-1));
        Assert.Throws<ArgumentException>(() => new MultiStep([-1.0]));
    }
}
