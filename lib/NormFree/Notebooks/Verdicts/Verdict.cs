namespace NormFree.Notebooks;

/// <summary>The verdict vocabulary of VERDICTS.md; <see cref="VerdictWords.Words"/> gives the words a claims table
/// prints.</summary>
public enum Verdict
{
    /// <summary>The paper's direction with p &lt; 0.05, or within the stated tolerance.</summary>
    Reproduced,
    /// <summary>The opposite direction with p &lt; 0.05, or outside the stated tolerance.</summary>
    NotReproduced,
    /// <summary>p ≥ 0.05, fewer than 3 completed runs in an arm, or a reference below its floor; the row says which.</summary>
    Inconclusive,
    /// <summary>Cannot be decided within the CPU budget; the `paper` profile runs it.</summary>
    NeedsGpu,
    /// <summary>Only for a row that names its sub-claims, each with its own verdict.</summary>
    Partly,
}

public static class VerdictWords
{
    public static string Words(this Verdict verdict) => verdict switch
    {
        Verdict.Reproduced => "reproduced",
        Verdict.NotReproduced => "not reproduced",
        Verdict.Inconclusive => "inconclusive",
        Verdict.NeedsGpu => "needs GPU",
        Verdict.Partly => "partly",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };
}
