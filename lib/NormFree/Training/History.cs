using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NormFree.Training;

/// <summary>Where a run stands. <see cref="Diverged"/> and <see cref="FailedToTrain"/> end a run early with its
/// history kept; Farkas et al. (2019, Tables 1–3 footnote) leave failed runs out of averages and count them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrainingStatus>))]
public enum TrainingStatus { Running, Completed, Diverged, FailedToTrain }

/// <summary>One finished epoch. <see cref="Epoch"/> counts from 1 (the number of epochs done); accuracies are
/// fractions in [0, 1]; the training loss and accuracy are averages over the epoch's steps (on augmented batches,
/// with the weights of each step, as PyTorch's reference scripts report them); <see cref="LearningRate"/> is the
/// first parameter group's rate during the epoch's last step.</summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy,
    double LearningRate, double Seconds)
{
    public override string ToString() =>
        $"epoch {Epoch,3}  train loss {TrainLoss:F4} acc {Percent.Of(TrainAccuracy)}  test loss {TestLoss:F4} acc {Percent.Of(TestAccuracy)}  lr {LearningRate:G3}  {Seconds:F1}s";
}

/// <summary>A run's record: one <see cref="EpochRecord"/> per epoch, the loss of every optimizer step, the status
/// and why it ended. Serialises to JSON (NaN and ±∞ allowed: a diverged run's last losses are kept as they were).</summary>
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

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Label.Length > 0 ? $"{Label}: " : "").Append(Status);
        if (Reason.Length > 0) text.Append($" ({Reason})");
        text.Append($", {epochs.Count} epochs, {stepLosses.Count} steps");
        if (epochs.Count > 0) text.Append($", final test acc {Percent.Of(FinalTestAccuracy)}, best {Percent.Of(BestTestAccuracy)}");
        foreach (var e in epochs) text.Append('\n').Append(e);
        return text.ToString();
    }
}
