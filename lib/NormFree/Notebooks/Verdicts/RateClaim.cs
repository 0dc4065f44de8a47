using System.Globalization;

namespace NormFree.Notebooks;

/// <summary>A claim about a rate ("the arm diverges less often than the reference"), judged by Fisher's exact test
/// on the counts (VERDICTS.md: rates of failed, diverged, dead runs). Define it before any run; <see cref="Judge"/>
/// it once the runs are in.</summary>
/// <param name="Claim">the claim as the table shows it.</param>
/// <param name="Event">what is counted, e.g. "diverged".</param>
/// <param name="Expected">the paper's direction, the arm's rate relative to the reference's.</param>
/// <param name="MinimumRuns">runs each arm needs (3 by VERDICTS.md).</param>
public sealed record RateClaim(string Claim, string Event, Direction Expected, int MinimumRuns = VerdictRules.MinimumCompletedRuns)
{
    // Checked in the constructor and in `with` alike: VERDICTS.md's floor cannot be lowered.
    public int MinimumRuns { get; init => field = VerdictRules.CheckMinimumRuns(value); } = VerdictRules.CheckMinimumRuns(MinimumRuns);

    public ClaimRow Judge(Tally arm, Tally reference)
    {
        var arms = $"{arm.Name} vs {reference.Name}";
        var runs = $"{arm.Runs} vs {reference.Runs}";
        var rates = $"{arm.Events}/{arm.Runs} vs {reference.Events}/{reference.Runs} {Event}";
        var tooFew = new[] { arm, reference }.Where(t => t.Runs < MinimumRuns).Select(t => $"fewer than {MinimumRuns} runs in {t.Name}").ToArray();
        if (tooFew.Length > 0) return new(Claim, arms, runs, rates, "Fisher's exact", double.NaN, Verdict.Inconclusive, string.Join("; ", tooFew));

        // Rows: arm, reference; columns: event, no event.
        var test = FisherExactTest.Of(arm.Events, arm.Runs - arm.Events, reference.Events, reference.Runs - reference.Events);
        var (verdict, reason) = VerdictRules.FromTest(Expected, arm.Rate - reference.Rate, test.P);
        return new(Claim, arms, runs, rates, $"Fisher's exact, odds ratio {test.OddsRatio.ToString("G3", CultureInfo.InvariantCulture)}", test.P, verdict, reason);
    }
}
