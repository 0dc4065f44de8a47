namespace NormFree.Notebooks;

/// <summary>The numbers VERDICTS.md fixes for every claims table, and the rule that turns a test into a verdict.</summary>
public static class VerdictRules
{
    /// <summary>p &lt; 0.05 decides a direction (VERDICTS.md, "Vocabulary").</summary>
    public const double SignificanceLevel = 0.05;

    /// <summary>At least 3 completed runs per arm; a claim whose expected difference is within a few points asks for
    /// 5 (VERDICTS.md, "Seeds").</summary>
    public const int MinimumCompletedRuns = 3;

    /// <summary>A claim may ask for more completed runs per arm than VERDICTS.md's 3, never fewer.</summary>
    public static int CheckMinimumRuns(int runs) => runs >= MinimumCompletedRuns ? runs
        : throw new ArgumentException($"VERDICTS.md asks for at least {MinimumCompletedRuns} completed runs per arm, got {runs}", nameof(runs));

    /// <summary>Reproduced when the observed effect has the paper's sign and p &lt; 0.05; not reproduced when it has
    /// the opposite sign and p &lt; 0.05; otherwise inconclusive with "p ≥ 0.05".</summary>
    /// <param name="effect">arm − reference (or ρ): only its sign is read.</param>
    public static (Verdict Verdict, string Reason) FromTest(Direction expected, double effect, double p)
    {
        if (double.IsNaN(p) || double.IsNaN(effect)) throw new ArgumentException($"a verdict needs a p-value and an effect, got p = {p}, effect = {effect}");
        if (p >= SignificanceLevel) return (Verdict.Inconclusive, FormattableString.Invariant($"p ≥ {SignificanceLevel}"));
        var paperSign = expected == Direction.Higher ? 1 : -1;
        return Math.Sign(effect) == paperSign
            ? (Verdict.Reproduced, "")
            : (Verdict.NotReproduced, "the opposite direction");
    }
}
