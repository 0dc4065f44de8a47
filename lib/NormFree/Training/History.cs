using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using NormFree.Notebooks;

namespace NormFree.Training;

/// <summary>Where a run stands. <see cref="Diverged"/> and <see cref="FailedToTrain"/> end a run early with its
/// history kept; Farkas et al. (2019, Tables 1–3 footnote) leave failed runs out of averages and count them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrainingStatus>))]
public enum TrainingStatus { Running, Completed, Diverged, FailedToTrain }

/// <summary>One finished epoch. <see cref="Epoch"/> counts from 1 (the number of epochs done); accuracies are
/// fractions in [0, 1]; the training loss and accuracy are averages over the epoch's steps (on augmented batches,
/// with the weights of each step, as PyTorch's reference scripts report them); <see cref="LearningRate"/> is the
/// first parameter group's rate during the epoch's last step; <see cref="Seconds"/> is the whole epoch with its
/// evaluation, <see cref="DataSeconds"/> the part of it spent waiting for training batches (loading, augmentation).</summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy,
    double LearningRate, double Seconds)
{
    public double DataSeconds { get; init; }

    public override string ToString() =>
        $"epoch {Epoch,3}  train loss {TrainLoss:F4} acc {Percent.Of(TrainAccuracy)}  test loss {TestLoss:F4} acc {Percent.Of(TestAccuracy)}  lr {LearningRate:G3}  {Seconds:F1}s (data {DataSeconds:F1}s)";
}

/// <summary>A run's record: one <see cref="EpochRecord"/> per epoch, the loss of every optimizer step, the status
/// and why it ended. Serialises to JSON (NaN and ±∞ allowed: a diverged run's last losses are kept as they were).
/// In a notebook it shows as its summary line over a table of the epochs.</summary>
[TypeFormatterSource(typeof(HistoryFormatterSource), PreferredMimeTypes = ["text/html", "text/plain"])]
public sealed class History
{
    [JsonInclude, JsonPropertyName("epochs")] internal List<EpochRecord> epochs = [];
    [JsonInclude, JsonPropertyName("step_losses")] internal List<double> stepLosses = [];

    /// <summary>What this run is, e.g. the config name and seed (shown in progress lines and summaries).</summary>
    public string Label { get; set; } = "";

    public TrainingStatus Status { get; set; } = TrainingStatus.Running;

    /// <summary>Why the run stopped early (empty while running or when completed).</summary>
    public string Reason { get; set; } = "";

    [JsonIgnore] public IReadOnlyList<EpochRecord> Epochs => epochs;
    [JsonIgnore] public IReadOnlyList<double> StepLosses => stepLosses;

    /// <summary>Test accuracy after the last epoch (NaN before the first).</summary>
    [JsonIgnore] public double FinalTestAccuracy => epochs.Count == 0 ? double.NaN : epochs[^1].TestAccuracy;

    /// <summary>Best test accuracy over the epochs (NaN before the first).</summary>
    [JsonIgnore] public double BestTestAccuracy => epochs.Count == 0 ? double.NaN : epochs.Max(e => e.TestAccuracy);

    public void Add(EpochRecord epoch) => epochs.Add(epoch);
    public void AddStep(double loss) => stepLosses.Add(loss);

    /// <summary>Marks the run as stopped (or completed) with a reason.</summary>
    public void Finish(TrainingStatus status, string reason = "")
    {
        Status = status;
        Reason = reason;
    }

    static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson(bool indented = false) =>
        JsonSerializer.Serialize(this, new JsonSerializerOptions(Options) { WriteIndented = indented });

    public static History FromJson(string json) =>
        JsonSerializer.Deserialize<History>(json, Options) ?? throw new JsonException("history JSON is null");

    /// <summary>A copy (the lists are copied; records are immutable).</summary>
    public History Clone() => FromJson(ToJson());

    /// <summary>One line: status, why it stopped, epochs and steps, final and best test accuracy.</summary>
    [JsonIgnore]
    public string Summary
    {
        get
        {
            var text = new StringBuilder(Status.ToString());
            if (Reason.Length > 0) text.Append($" ({Reason})");
            text.Append($", {epochs.Count} epochs, {stepLosses.Count} steps");
            if (epochs.Count > 0) text.Append($", final test acc {Percent.Of(FinalTestAccuracy)}, best {Percent.Of(BestTestAccuracy)}");
            return text.ToString();
        }
    }

    /// <summary>The epochs as a table (accuracies in percent).</summary>
    public Table ToTable()
    {
        var table = new Table("epoch", "train loss", "train acc", "test loss", "test acc", "lr", "seconds", "data seconds");
        foreach (var e in epochs)
            table.Add(e.Epoch, e.TrainLoss, Percent.Of(e.TrainAccuracy), e.TestLoss, Percent.Of(e.TestAccuracy), e.LearningRate,
                e.Seconds, e.DataSeconds);
        return table;
    }

    public override string ToString()
    {
        var text = new StringBuilder(Label.Length > 0 ? $"{Label}: {Summary}" : Summary);
        foreach (var e in epochs) text.Append('\n').Append(e);
        return text.ToString();
    }
}

/// <summary>HTML and text for <see cref="History"/>, through the <see cref="TypeFormatterSourceAttribute"/> convention.</summary>
sealed class HistoryFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() =>
    [
        new MimeFormatter<History>("text/html", h =>
            $"<p>{WebUtility.HtmlEncode(h.Label.Length > 0 ? $"{h.Label}: {h.Summary}" : h.Summary)}</p>\n{h.ToTable().ToHtml()}"),
        new MimeFormatter<History>("text/plain", h => h.ToString()),
    ];
}
