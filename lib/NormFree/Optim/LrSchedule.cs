namespace NormFree.Optim;

/// <summary>A learning-rate schedule: a pure function from training time t (in epochs, fractional within an epoch:
/// t = epoch + batch / batches_per_epoch) to a multiplier of each group's initial learning rate. Schedules are
/// immutable records, so a config that holds one prints and compares by value. Compose them with
/// <c>a * b</c> (product: warmup times a step schedule) or <see cref="Then"/> (one after another).</summary>
public abstract record LrSchedule
{
    /// <summary>The multiplier at time <paramref name="t"/> (epochs, t ≥ 0).</summary>
    public abstract double at(double t);

    /// <summary>This schedule until <paramref name="boundary"/>, then <paramref name="next"/> with its clock restarted
    /// at 0 (torch's SequentialLR): <c>new LinearWarmup(5).Then(5, new Cosine(195))</c>.</summary>
    public LrSchedule Then(double boundary, LrSchedule next) => new Chained(this, boundary, next);

    public static LrSchedule operator *(LrSchedule a, LrSchedule b) => new Product(a, b);

    /// <summary>TorchSharp's <c>LambdaLR</c> following this schedule, stepped once per batch: after k calls of
    /// <c>step()</c> each group's LR is its initial LR × <see cref="at"/>(k / <paramref name="batches_per_epoch"/>).</summary>
    public optim.lr_scheduler.LRScheduler scheduler(optim.Optimizer optimizer, long batches_per_epoch)
    {
        if (batches_per_epoch <= 0) throw new ArgumentOutOfRangeException(nameof(batches_per_epoch), batches_per_epoch, "batches per epoch must be positive");
        return optim.lr_scheduler.LambdaLR(optimizer, step => at(step / (double)batches_per_epoch));
    }

    protected static void CheckPositive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite");
    }

    protected static void CheckFactor(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be ≥ 0 and finite");
    }
}

/// <summary>Multiplier 1 throughout.</summary>
public sealed record Constant : LrSchedule
{
    public override double at(double t) => 1;
}

/// <summary>torch's MultiStepLR: the multiplier is γ^k, k = the number of milestones m ≤ t. The papers' epoch lists:
/// He et al. ÷10 at 100 and 150 (<c>new MultiStep([100, 150], 0.1)</c>); Farkas ×0.2 at 60/120/160.</summary>
public sealed record MultiStep : LrSchedule
{
    public IReadOnlyList<double> milestones { get; }
    public double gamma { get; }

    public MultiStep(IEnumerable<double> milestones, double gamma = 0.1)
    {
        this.milestones = milestones.OrderBy(m => m).ToArray();
        if (this.milestones.Any(m => !(m >= 0) || double.IsInfinity(m))) throw new ArgumentException("milestones must be finite and ≥ 0", nameof(milestones));
        CheckFactor(gamma, nameof(gamma));
        this.gamma = gamma;
    }

    public override double at(double t) => Math.Pow(gamma, milestones.Count(m => m <= t));

    // Records compare list members by reference; compare milestone values instead.
    public bool Equals(MultiStep? other) => other is not null && gamma == other.gamma && milestones.SequenceEqual(other.milestones);
    public override int GetHashCode() => milestones.Aggregate(gamma.GetHashCode(), HashCode.Combine);
    protected override bool PrintMembers(System.Text.StringBuilder b)
    {
        b.Append($"milestones = [{string.Join(", ", milestones)}], gamma = {gamma}");
        return true;
    }
}

/// <summary>Warmup from <paramref name="start_factor"/> to 1 over <paramref name="duration"/> epochs, then 1:
/// multiplier s + (1 − s)·α^power with α = min(t / duration, 1). power 1 is linear warmup (Goyal et al. 2017);
/// power 2 is the quadratic warmup of Arpit et al. 2019 (lr = w₀ + α²·(lr − w₀), with s = w₀ / lr).</summary>
public record Warmup : LrSchedule
{
    public double duration { get; }
    public double start_factor { get; }
    public double power { get; }

    public Warmup(double duration, double start_factor = 0, double power = 1)
    {
        CheckPositive(duration, nameof(duration));
        CheckFactor(start_factor, nameof(start_factor));
        CheckPositive(power, nameof(power));
        this.duration = duration;
        this.start_factor = start_factor;
        this.power = power;
    }

    public override double at(double t)
    {
        var alpha = Math.Clamp(t / duration, 0, 1);
        return start_factor + (1 - start_factor) * Math.Pow(alpha, power);
    }
}

/// <summary>Linear warmup: s + (1 − s)·t/duration, then 1.</summary>
public sealed record LinearWarmup : Warmup
{
    public LinearWarmup(double duration, double start_factor = 0) : base(duration, start_factor, 1) { }
}

/// <summary>Quadratic warmup (Arpit, Campos, Bengio 2019): s + (1 − s)·(t/duration)², then 1.</summary>
public sealed record QuadraticWarmup : Warmup
{
    public QuadraticWarmup(double duration, double start_factor = 0) : base(duration, start_factor, 2) { }
}

/// <summary>Cosine annealing (Loshchilov and Hutter 2017, without restarts, torch's CosineAnnealingLR in closed form):
/// f + (1 − f)·(1 + cos(π·t/T))/2 for t ≤ T, f after, with f = final_factor.</summary>
public sealed record Cosine : LrSchedule
{
    public double total { get; }
    public double final_factor { get; }

    public Cosine(double total, double final_factor = 0)
    {
        CheckPositive(total, nameof(total));
        CheckFactor(final_factor, nameof(final_factor));
        this.total = total;
        this.final_factor = final_factor;
    }

    public override double at(double t)
    {
        var progress = Math.Clamp(t / total, 0, 1);
        return final_factor + (1 - final_factor) * (1 + Math.Cos(Math.PI * progress)) / 2;
    }
}

/// <summary>The product of two schedules' multipliers, both on the same clock (e.g. warmup × multi-step).</summary>
public sealed record Product(LrSchedule a, LrSchedule b) : LrSchedule
{
    public override double at(double t) => a.at(t) * b.at(t);
}

/// <summary><see cref="first"/> for t &lt; <see cref="boundary"/>, then <see cref="next"/> at t − boundary (torch's SequentialLR).</summary>
public sealed record Chained : LrSchedule
{
    public LrSchedule first { get; }
    public double boundary { get; }
    public LrSchedule next { get; }

    public Chained(LrSchedule first, double boundary, LrSchedule next)
    {
        CheckFactor(boundary, nameof(boundary));
        this.first = first;
        this.boundary = boundary;
        this.next = next;
    }

    public override double at(double t) => t < boundary ? first.at(t) : next.at(t - boundary);
}
