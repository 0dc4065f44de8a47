using System.Text;
using NormFree.Data;
using NormFree.Optim;

namespace NormFree.Training;

/// <summary>Everything about a training run except the model and the data, as an immutable record: saved with every
/// checkpoint and result, printed by value, varied with <c>with { LearningRate = 0.01 }</c>.
/// Defaults are the CIFAR ResNet protocol of He et al. (2016a, §4.2): SGD, momentum 0.9, batch 128, weight decay
/// 1e-4 (on every parameter, as their code and torch do); set <see cref="DecayOnlyWeights"/> for Farkas et al.'s
/// "weight decay on weights only".</summary>
public sealed record TrainConfig
{
    /// <summary>Shown in progress lines and summaries.</summary>
    public string Name { get; init; } = "";
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 128;
    /// <summary>Batch size for evaluation (no gradients, so it can be larger; it does not change the result).</summary>
    public int EvalBatchSize { get; init; } = 1000;

    // ---- optimizer (SGD unless the trainer is given another) ----
    public double LearningRate { get; init; } = 0.1;
    /// <summary>Multiplier of <see cref="LearningRate"/> over training time in epochs (fractional within an epoch:
    /// the trainer runs it as TorchSharp's <c>LambdaLR</c>, stepped once per batch, so step k of the run uses
    /// <c>Schedule.at(k / batches_per_epoch)</c>).</summary>
    public LrSchedule Schedule { get; init; } = new Constant();
    public double Momentum { get; init; } = 0.9;
    public bool Nesterov { get; init; } = false;
    public double WeightDecay { get; init; } = 1e-4;
    /// <summary>Weight decay only on tensors of rank ≥ 2 (conv and linear weights), not on biases, gains and scalars:
    /// Farkas et al. (2019), §4.1 protocol.</summary>
    public bool DecayOnlyWeights { get; init; } = false;

    // ---- loss and data ----
    /// <summary>The loss is cross-entropy with this label smoothing (Szegedy et al. 2016, §7); 0 is plain CE.</summary>
    public double LabelSmoothing { get; init; } = 0;
    /// <summary>Batched transforms of every training batch, in order, e.g. crop, flip, <see cref="Normalize"/>, cutout
    /// (the papers differ on normalization). Test batches get the <see cref="Normalize"/> steps of this list only.</summary>
    public IReadOnlyList<IBatchTransform> Augmentation { get; init; } = [];
    /// <summary>mixup's α (Zhang et al. 2018); 0: off.</summary>
    public double MixupAlpha { get; init; } = 0;
    /// <summary>Drop the last incomplete training batch (torch's default is to keep it).</summary>
    public bool DropLast { get; init; } = false;
    /// <summary>Seeds model-independent randomness: the global generator at the start (dropout) and the data loader
    /// (shuffling, augmentation, mixup). Seed the model's initialisation yourself (the multi-seed runner does).</summary>
    public ulong Seed { get; init; } = 0;
    /// <summary>Where the model and the batches live; default <see cref="Devices.default_device"/> (cuda when
    /// available, else cpu; env NORMFREE_DEVICE).</summary>
    public Device Device { get; init; } = Devices.default_device;

    // ---- stopping rules ----
    public DivergenceRule Divergence { get; init; } = new();
    /// <summary>Farkas et al.'s "no progress in the first five epochs" rule; null: never declare a failure.</summary>
    public FailedToTrainRule? FailedToTrain { get; init; } = new();

    // ---- checkpoints and progress ----
    /// <summary>Where to write checkpoints (<c>epoch-NNNN.safetensors</c> weights and <c>epoch-NNNN.optimizer.pt</c>, see
    /// <see cref="Checkpoint"/>); null: none.</summary>
    public string? CheckpointDir { get; init; }
    public int CheckpointEvery { get; init; } = 1;
    /// <summary>One line per epoch on the console.</summary>
    public bool Progress { get; init; } = true;
    /// <summary>Also a line every this many steps inside an epoch; 0: none.</summary>
    public int ProgressEverySteps { get; init; } = 0;

    // Records print lists as their type name; print the transforms themselves, so a saved config says what ran.
    bool PrintMembers(StringBuilder builder)
    {
        var members = typeof(TrainConfig).GetProperties().Select(p => (p.Name, Value: p.GetValue(this)));
        builder.AppendJoin(", ", members.Select(m => $"{m.Name} = {(m.Value is IEnumerable<object> list ? $"[{string.Join(", ", list)}]" : m.Value)}"));
        return true;
    }

    internal void Validate()
    {
        if (Epochs < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "epochs must be ≥ 0");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "batch size must be ≥ 1");
        if (EvalBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(EvalBatchSize), EvalBatchSize, "eval batch size must be ≥ 1");
        if (CheckpointEvery < 1) throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), CheckpointEvery, "checkpoint interval must be ≥ 1");
        if (ProgressEverySteps < 0) throw new ArgumentOutOfRangeException(nameof(ProgressEverySteps), ProgressEverySteps, "must be ≥ 0");
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1)) throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), LabelSmoothing, "label smoothing must be in [0, 1)");
        Device.EnsureAvailable();
    }
}
