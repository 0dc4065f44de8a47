using NormFree.Training;

namespace NormFree.Notebooks;

/// <summary>VERDICTS.md's "each method at its own best": a method run at each learning rate of a stated grid,
/// evaluated on a validation split (never the test set), and the rate with the highest <see cref="Score"/> chosen.
/// The score is the mean final validation accuracy over all runs at that rate, failed runs at their last accuracy
/// and diverged ones at 0, so a rate that fails some seeds is penalised rather than judged on its survivors.</summary>
public sealed record LrSweep(string Method, IReadOnlyList<(double Lr, SeedSummary Runs)> Points)
{
    public double Chosen { get; } = Points.Count > 0 ? Points.MaxBy(p => Score(p.Runs)).Lr
        : throw new ArgumentException($"{Method}: an LR sweep needs at least one learning rate", nameof(Points));

    public IEnumerable<double> Grid => Points.Select(p => p.Lr);

    /// <summary>Runs <paramref name="runAt"/> at every rate of <paramref name="grid"/> and chooses one.</summary>
    public static LrSweep Run(string method, IEnumerable<double> grid, Func<double, SeedSummary> runAt) =>
        new(method, [.. grid.Select(lr => (lr, runAt(lr)))]);

    public static double Score(SeedSummary runs) => runs.Histories.Count == 0 ? double.NaN
        : runs.Histories.Average(h => h.Status == TrainingStatus.Diverged || double.IsNaN(h.FinalTestAccuracy) ? 0 : h.FinalTestAccuracy);

    /// <summary>"0.01, 0.03, [0.1], 0.3": the grid with the chosen rate bracketed.</summary>
    public string GridText() => string.Join(", ", Grid.Select(lr => lr == Chosen ? $"[{lr:G3}]" : $"{lr:G3}"));

    public Table ToTable()
    {
        var table = new Table("method", "LR", "runs", "failed", "diverged", "validation score", "chosen");
        foreach (var (lr, runs) in Points)
            table.Add(Method, lr.ToString("G3"), runs.Runs, runs.Failed, runs.Diverged, Score(runs).ToString("P2"), lr == Chosen ? "✓" : "");
        return table;
    }
}
