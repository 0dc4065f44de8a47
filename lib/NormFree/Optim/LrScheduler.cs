namespace NormFree.Optim;

/// <summary>Applies an <see cref="LrSchedule"/> to an optimizer: every group's lr = its initial_lr × schedule(t).
/// Stateless apart from the optimizer it writes to, so resuming at any (epoch, batch) needs nothing saved.</summary>
public sealed class LrScheduler(Optimizer optimizer, LrSchedule schedule, long batches_per_epoch)
{
    public Optimizer optimizer { get; } = optimizer;
    public LrSchedule schedule { get; } = schedule;
    public long batches_per_epoch { get; } = batches_per_epoch > 0
        ? batches_per_epoch
        : throw new ArgumentOutOfRangeException(nameof(batches_per_epoch), batches_per_epoch, "batches per epoch must be positive");

    /// <summary>Training time in epochs at batch <paramref name="batch"/> (0-based) of epoch <paramref name="epoch"/> (0-based).</summary>
    public double time(long epoch, long batch) => epoch + (double)batch / batches_per_epoch;

    /// <summary>Sets every group's lr for the step about to run; returns the multiplier.</summary>
    public double set(long epoch, long batch = 0)
    {
        var m = schedule.at(time(epoch, batch));
        foreach (var g in optimizer.param_groups) g.lr = g.initial_lr * m;
        return m;
    }
}
