using NormFree.Torch;

namespace NormFree.Nn;

/// <summary>Batch normalization over a 4-D input, as torch.nn.BatchNorm2d (Ioffe &amp; Szegedy 2015, Algorithm 1):
/// y = (x − E[x]) / √(Var[x] + eps) · γ + β, statistics per channel over (B, H, W).
/// Training mode uses the batch's statistics (biased variance) and updates the running ones:
/// running = (1 − momentum)·running + momentum·batch (the running variance uses the unbiased batch variance);
/// eval mode uses the running statistics. Without running statistics both modes use the batch's.
/// <para>Shapes: input (B, C, H, W) → output (B, C, H, W); γ, β, running_mean, running_var (C).</para>
/// <para>Init: γ = 1, β = 0, running_mean = 0, running_var = 1.</para></summary>
public sealed class BatchNorm2d : Module
{
    public long num_features { get; }
    public double eps { get; }
    public double momentum { get; }
    public bool affine { get; }
    public bool track_running_stats { get; }

    /// <summary>γ (C) or null when not affine.</summary>
    public Parameter? weight { get; }
    /// <summary>β (C) or null when not affine.</summary>
    public Parameter? bias { get; }
    public Tensor? running_mean { get; }
    public Tensor? running_var { get; }
    /// <summary>Training steps seen (int64 scalar), as PyTorch keeps it.</summary>
    public Tensor? num_batches_tracked { get; }

    public BatchNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool track_running_stats = true)
    {
        if (num_features < 1) throw new ArgumentException($"BatchNorm2d needs at least one channel, got {num_features}", nameof(num_features));
        if (momentum < 0 || momentum > 1) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1]");
        this.num_features = num_features;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.track_running_stats = track_running_stats;
        if (affine)
        {
            using var w = torch.empty([num_features]);
            using var b = torch.empty([num_features]);
            weight = register_parameter("weight", new Parameter(w));
            bias = register_parameter("bias", new Parameter(b));
        }
        if (track_running_stats)
        {
            running_mean = register_buffer("running_mean", torch.zeros([num_features]));
            running_var = register_buffer("running_var", torch.ones([num_features]));
            num_batches_tracked = register_buffer("num_batches_tracked", torch.zeros([], DType.Int64));
        }
        reset_parameters();
    }

    public void reset_running_stats()
    {
        if (!track_running_stats) return;
        using var _ = torch.no_grad();
        running_mean!.zero_();
        running_var!.fill_(1);
        num_batches_tracked!.zero_();
    }

    public void reset_parameters()
    {
        reset_running_stats();
        if (!affine) return;
        using var _ = torch.no_grad();
        weight!.fill_(1);
        bias!.fill_(0);
    }

    public override Tensor forward(Tensor input)
    {
        Shapes.Expect(input, 4, "BatchNorm2d", $"(B, {num_features}, H, W)", num_features);
        var useBatchStats = training || !track_running_stats;
        if (training && track_running_stats)
        {
            using var _ = torch.no_grad();
            // fill_ rather than add_: the binding's add_ passes a floating alpha, which int64 tensors refuse.
            num_batches_tracked!.fill_(num_batches_tracked.itemLong() + 1);
        }
        return F.batch_norm(input, running_mean, running_var, weight, bias, useBatchStats, momentum, eps);
    }

    protected override string extra_repr() =>
        $"{num_features}, eps={eps}, momentum={momentum}, affine={affine}, track_running_stats={track_running_stats}";
}
