namespace NormFree.Notebooks;

/// <summary>One arm of an experiment: the metric of each completed run, and how many runs failed to train or
/// diverged — counted, never silently dropped (VERDICTS.md). Failed and diverged runs are left out of the mean
/// (the notebook states its failure rule).</summary>
public sealed record Arm(string Name, IReadOnlyList<double> Completed, int Failed = 0, int Diverged = 0)
{
    // Get-only, so `with` cannot change the runs under an already computed Sample.
    public IReadOnlyList<double> Completed { get; } = Completed;
    public int Failed { get; } = Failed >= 0 ? Failed : throw new ArgumentException($"{Name}: failed runs ≥ 0, got {Failed}", nameof(Failed));
    public int Diverged { get; } = Diverged >= 0 ? Diverged : throw new ArgumentException($"{Name}: diverged runs ≥ 0, got {Diverged}", nameof(Diverged));

    /// <summary>n, mean and std of the completed runs.</summary>
    public Sample Sample { get; } = Sample.Of(Completed);

    public int Runs => Completed.Count + Failed + Diverged;

    /// <summary>"5", or "4 (+1 diverged)", or "3 (+1 failed, +1 diverged)": completed runs, then the others.</summary>
    public string RunsText()
    {
        var others = new List<string>();
        if (Failed > 0) others.Add($"+{Failed} failed");
        if (Diverged > 0) others.Add($"+{Diverged} diverged");
        return others.Count == 0 ? $"{Completed.Count}" : $"{Completed.Count} ({string.Join(", ", others)})";
    }
}
