namespace NormFree.Notebooks;

/// <summary>One row of a claims table: the claim, the arms, the evidence (runs per arm, mean ± std, the test and its
/// p) and the verdict with its reason, as VERDICTS.md and STYLE.md §8 ask. Built by the claim types
/// (<see cref="MeanClaim"/>, <see cref="RateClaim"/>, <see cref="OrderingClaim"/>, <see cref="ToleranceClaim"/>),
/// by <see cref="NeedsGpu"/> or by <see cref="Partly"/>. <see cref="P"/> is NaN where no test ran.</summary>
public sealed record ClaimRow(string Claim, string Arms, string Runs, string MeanStd, string Test, double P, Verdict Verdict, string Reason)
{
    /// <summary>The sub-claims of a <see cref="Verdict.Partly"/> row, each with its own verdict; empty otherwise.</summary>
    public IReadOnlyList<ClaimRow> Parts { get; init; } = [];

    /// <summary>A claim the CPU budget cannot decide; the `paper` profile runs it.</summary>
    public static ClaimRow NeedsGpu(string claim, string reason) => new(claim, "", "", "", "", double.NaN, Verdict.NeedsGpu, reason);

    /// <summary>A claim made of named sub-claims: the common verdict when they all agree, otherwise "partly", with
    /// each sub-claim's verdict in the reason. The sub-claims show below it in a <see cref="ClaimsTable"/>.</summary>
    public static ClaimRow Partly(string claim, params ClaimRow[] parts)
    {
        if (parts.Length < 2) throw new ArgumentException($"'{claim}': a claim with sub-claims needs at least two, got {parts.Length}", nameof(parts));
        var verdicts = parts.Select(p => p.Verdict).Distinct().ToArray();
        var verdict = verdicts.Length == 1 ? verdicts[0] : Verdict.Partly;
        var reason = string.Join("; ", parts.Select(p => $"{p.Claim}: {p.Verdict.Words()}"));
        return new ClaimRow(claim, "", "", "", "", double.NaN, verdict, reason) { Parts = parts };
    }
}
