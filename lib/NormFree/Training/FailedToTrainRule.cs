namespace NormFree.Training;

/// <summary>Farkas et al. (2019), §4.1 footnote: a run "failed" when it "did not make any progress in the first five
/// epochs"; their code's test is test error ≥ 90 % (chance on ten classes) in each of those epochs. Here: test accuracy
/// ≤ 1/classes + <see cref="Margin"/> in every one of the first <see cref="Epochs"/> epochs. Margin 0 is their rule;
/// failed runs stop and are left out of the averages (and counted) as in their tables.</summary>
public sealed record FailedToTrainRule(int Epochs = 5, double Margin = 0)
{
    /// <summary>Why the run failed, or null: decided once the first <see cref="Epochs"/> epochs are in.</summary>
    public string? Check(History history, long classes)
    {
        if (classes < 2) throw new ArgumentException($"need at least two classes, got {classes}", nameof(classes));
        if (history.Epochs.Count != Epochs) return null;
        var limit = 1.0 / classes + Margin;
        if (history.Epochs.Any(e => e.TestAccuracy > limit)) return null;
        return $"test accuracy ≤ {Percent.Of(limit)} (chance {Percent.Of(1.0 / classes)} + {Percent.Of(Margin)}) in each of the first {Epochs} epochs";
    }
}
