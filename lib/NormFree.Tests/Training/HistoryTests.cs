using NormFree.Training;

namespace NormFree.Tests.Training;

public class HistoryTests
{
    static History Run(string label, TrainingStatus status, params double[] testAccuracies)
    {
        var h = new History { Label = label };
        for (var i = 0; i < testAccuracies.Length; i++)
        {
            h.AddStep(2.3 - i);
            h.Add(new EpochRecord(i + 1, 2.3 - i, 0.5, 2.0 - i, testAccuracies[i], 0.1, 1.5) { DataSeconds = 0.25 });
        }
        h.Finish(status);
        return h;
    }

    [Fact]
    public void JsonRoundTripKeepsEverythingIncludingNaN()
    {
        var h = Run("seed 3", TrainingStatus.Running, 0.4, 0.6);
        h.AddStep(double.NaN);
        h.AddStep(double.PositiveInfinity);
        h.Finish(TrainingStatus.Diverged, "loss NaN at step 3");
        var json = h.ToJson();
        Assert.Contains("\"test_accuracy\":0.6", json);
        Assert.Contains("\"status\":\"Diverged\"", json);
        var back = History.FromJson(json);
        Assert.Equal(h.Epochs, back.Epochs);
        Assert.Equal(h.StepLosses, back.StepLosses);
        Assert.Equal(TrainingStatus.Diverged, back.Status);
        Assert.Equal("loss NaN at step 3", back.Reason);
        Assert.Equal("seed 3", back.Label);
        Assert.Equal(0.6, back.FinalTestAccuracy);
    }

    [Fact]
    public void FinalAndBestAccuracy()
    {
        var h = Run("", TrainingStatus.Completed, 0.5, 0.9, 0.8);
        Assert.Equal(0.8, h.FinalTestAccuracy);
        Assert.Equal(0.9, h.BestTestAccuracy);
        Assert.True(double.IsNaN(new History().FinalTestAccuracy));
        Assert.Contains("final test acc 80.00%, best 90.00%", h.ToString());
    }

    [Fact]
    public void DivergenceRuleCatchesNonFiniteAndExplodingLoss()
    {
        var rule = new DivergenceRule(Factor: 100);
        Assert.Null(rule.Check(5.0, 2.3, 1));
        Assert.Null(rule.Check(229.9, 2.3, 1));
        Assert.Contains("exceeds", rule.Check(230.1, 2.3, 7));
        Assert.Contains("NaN", rule.Check(double.NaN, 2.3, 7));
        Assert.Contains("step 9", rule.Check(double.PositiveInfinity, 2.3, 9));
    }

    [Fact]
    public void FailedToTrainRuleIsTheFarkasFiveEpochChanceTest()
    {
        var rule = new FailedToTrainRule();   // 5 epochs, no margin: test error ≥ 90 % on ten classes
        Assert.Null(rule.Check(Run("", TrainingStatus.Running, 0.1, 0.1, 0.1, 0.1), 10));             // too early to tell
        Assert.NotNull(rule.Check(Run("", TrainingStatus.Running, 0.1, 0.1, 0.1, 0.1, 0.1), 10));      // exactly chance
        Assert.NotNull(rule.Check(Run("", TrainingStatus.Running, 0.09, 0.1, 0.0, 0.1, 0.05), 10));
        Assert.Null(rule.Check(Run("", TrainingStatus.Running, 0.1, 0.1, 0.1, 0.1, 0.1001), 10));      // progress in epoch 5
        Assert.Null(rule.Check(Run("", TrainingStatus.Running, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1), 10));    // decided at epoch 5 only
        Assert.Null(rule.Check(Run("", TrainingStatus.Running, 0.3, 0.1, 0.1, 0.1, 0.1), 10));
        Assert.NotNull(new FailedToTrainRule(Epochs: 2, Margin: 0.05).Check(Run("", TrainingStatus.Running, 0.14, 0.15), 10));
        Assert.NotNull(rule.Check(Run("", TrainingStatus.Running, 0.01, 0.01, 0.01, 0.01, 0.01), 100));
        Assert.Null(rule.Check(Run("", TrainingStatus.Running, 0.02, 0.01, 0.01, 0.01, 0.01), 100));
        Assert.Throws<ArgumentException>(() => rule.Check(new History(), 1));
    }

    [Fact]
    public void SeedSummaryAveragesCompletedRunsAndCountsTheOthers()
    {
        var runs = new[]
        {
            Run("a", TrainingStatus.Completed, 0.5, 0.90, 0.80),
            Run("b", TrainingStatus.Completed, 0.5, 0.70, 0.90),
            Run("c", TrainingStatus.FailedToTrain, 0.1, 0.1),
            Run("d", TrainingStatus.Diverged, 0.2),
            Run("e", TrainingStatus.Completed, 0.5, 0.60, 0.70),
        };
        var s = SeedSummary.From("net", [1, 2, 3, 4, 5], runs);
        Assert.Equal(5, s.Runs);
        Assert.Equal(3, s.Completed);
        Assert.Equal(1, s.Failed);
        Assert.Equal(1, s.Diverged);
        Assert.Equal(0.8, s.FinalMean, 1e-12);
        Assert.Equal(0.1, s.FinalStd, 1e-12);                 // sample std of 0.8, 0.9, 0.7
        Assert.Equal((0.9 + 0.9 + 0.7) / 3, s.BestMean, 1e-12);
        Assert.Equal(Math.Sqrt((2 * Math.Pow(0.9 - 2.5 / 3, 2) + Math.Pow(0.7 - 2.5 / 3, 2)) / 2), s.BestStd, 1e-12);
        Assert.Equal("net: final test acc 80.00 ± 10.00%, best 83.33 ± 11.55% over 3/5 seeds; 1 failed, 1 diverged (left out)", s.ToString());

        var one = SeedSummary.From("", [1], [runs[0]]);
        Assert.True(double.IsNaN(one.FinalStd));
        Assert.Equal("final test acc 80.00%, best 90.00% over 1/1 seeds", one.ToString());
        Assert.Contains("n/a", SeedSummary.From("", [3], [runs[2]]).ToString());
    }

    [Fact]
    public void TablesForNotebooks()
    {
        var h = Run("seed 1", TrainingStatus.Completed, 0.5, 0.75);
        var table = h.ToTable();
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(["2", "1.3", "50.00%", "1", "75.00%", "0.1", "1.5", "0.25"], table.Rows[1]);
        var s = SeedSummary.From("net", [1, 2], [h, Run("", TrainingStatus.Diverged)]);
        Assert.Equal(["2", "Diverged", "0", "NaN%", "NaN%", ""], s.ToTable().Rows[1]);
    }
}
