using System.Net;
using NormFree.Notebooks;

namespace NormFree.Training;

/// <summary>A config run over several seeds: mean ± sample std (n − 1) of the final and the best test accuracy over
/// the runs that completed, and how many failed to train or diverged (left out of the averages, as Farkas et al.
/// 2019 do). Std is NaN with fewer than two completed runs; the means are NaN with none.</summary>
public sealed record SeedSummary(string Label, IReadOnlyList<ulong> Seeds, int Completed, int Failed, int Diverged,
    double FinalMean, double FinalStd, double BestMean, double BestStd, IReadOnlyList<History> Histories)
{
    public int Runs => Histories.Count;

    public static SeedSummary From(string label, IReadOnlyList<ulong> seeds, IReadOnlyList<History> histories)
    {
        if (seeds.Count != histories.Count) throw new ArgumentException($"{seeds.Count} seeds for {histories.Count} histories");
        var completed = histories.Where(h => h.Status == TrainingStatus.Completed).ToList();
        var (finalMean, finalStd) = MeanStd(completed.Select(h => h.FinalTestAccuracy));
        var (bestMean, bestStd) = MeanStd(completed.Select(h => h.BestTestAccuracy));
        return new(label, seeds, completed.Count,
            histories.Count(h => h.Status == TrainingStatus.FailedToTrain),
            histories.Count(h => h.Status == TrainingStatus.Diverged),
            finalMean, finalStd, bestMean, bestStd, histories);
    }

    /// <summary>Mean and sample standard deviation (n − 1, as torch.std).</summary>
    public static (double Mean, double Std) MeanStd(IEnumerable<double> values)
    {
        var v = values.ToArray();
        if (v.Length == 0) return (double.NaN, double.NaN);
        var mean = v.Average();
        if (v.Length < 2) return (mean, double.NaN);
        return (mean, Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)));
    }

    static string MeanStdText(double mean, double std) =>
        double.IsNaN(mean) ? "n/a" : double.IsNaN(std) ? Percent.Of(mean) : $"{100 * mean:F2} ± {Percent.Of(std)}";

    /// <summary>One row per seed: status, epochs, final and best test accuracy, why it stopped.</summary>
    public Table ToTable()
    {
        var table = new Table("seed", "status", "epochs", "final test acc", "best test acc", "reason");
        for (var i = 0; i < Runs; i++)
        {
            var h = Histories[i];
            table.Add(Seeds[i], h.Status, h.Epochs.Count, Percent.Of(h.FinalTestAccuracy), Percent.Of(h.BestTestAccuracy), h.Reason);
        }
        return table;
    }

    public override string ToString()
    {
        var label = Label.Length > 0 ? $"{Label}: " : "";
        var left = Failed + Diverged > 0 ? $"; {Failed} failed, {Diverged} diverged (left out)" : "";
        return $"{label}final test acc {MeanStdText(FinalMean, FinalStd)}, best {MeanStdText(BestMean, BestStd)} over {Completed}/{Runs} seeds{left}";
    }
}

/// <summary>HTML and text for <see cref="SeedSummary"/>, through the <see cref="TypeFormatterSourceAttribute"/> convention.</summary>
sealed class SeedSummaryFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() =>
    [
        new MimeFormatter<SeedSummary>("text/html", s => $"<p>{WebUtility.HtmlEncode(s.ToString())}</p>\n{s.ToTable().ToHtml()}"),
        new MimeFormatter<SeedSummary>("text/plain", s => $"{s}\n{s.ToTable()}"),
    ];
}
