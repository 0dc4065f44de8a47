namespace NormFree.Training;

/// <summary>When a run has diverged: a non-finite step loss, or a step loss above <see cref="Factor"/> × the first
/// step's loss. The trainer then stops with status <see cref="TrainingStatus.Diverged"/> and keeps the history.
/// NOTE: the factor is ours (the papers give no threshold): 10³ × the initial cross-entropy (≈ ln 10 = 2.3 for ten
/// classes) is far above any loss a training run revisits, yet reached within a few steps by an exploding one.</summary>
public sealed record DivergenceRule(double Factor = 1e3)
{
    /// <summary>Why the run diverged at this step, or null when it has not.</summary>
    public string? Check(double loss, double initialLoss, long step)
    {
        if (!double.IsFinite(loss)) return $"loss {loss} at step {step}";
        if (double.IsFinite(initialLoss) && loss > Factor * Math.Abs(initialLoss))
            return $"loss {loss:G4} at step {step} exceeds {Factor:G3} × the initial {initialLoss:G4}";
        return null;
    }
}
