using System.Globalization;

namespace NormFree.Notebooks;

/// <summary>A claim about means ("arm's test accuracy is higher than the reference's"), judged by Welch's t-test on
/// the completed runs. Define it in the cell that states the claim, before any run (VERDICTS.md, "Thresholds before
/// results"); <see cref="Judge"/> it once the runs are in.</summary>
/// <param name="Claim">the claim as the table shows it, e.g. "1. SkipInit trains as well as BN".</param>
/// <param name="Expected">the paper's direction, arm relative to the reference.</param>
/// <param name="ReferenceFloor">the quality the reference's mean must reach (e.g. 0.85 test accuracy on
/// Fashion-MNIST, VERDICTS.md "Reference floor"); null when the claim has no reference to floor.</param>
/// <param name="MinimumRuns">completed runs each arm needs: 3, or 5 where the expected difference is a few points.</param>
/// <param name="Format">how means and stds print (.NET numeric format, e.g. "G4", "F4").</param>
public sealed record MeanClaim(string Claim, Direction Expected, double? ReferenceFloor = null, int MinimumRuns = VerdictRules.MinimumCompletedRuns, string Format = "G4")
{
    // Checked in the constructor and in `with` alike: VERDICTS.md's floor cannot be lowered.
    public int MinimumRuns { get; init => field = VerdictRules.CheckMinimumRuns(value); } = VerdictRules.CheckMinimumRuns(MinimumRuns);

    public ClaimRow Judge(Arm arm, Arm reference)
    {
        var reasons = new List<string>();
        foreach (var a in new[] { arm, reference })
            if (a.Completed.Count < MinimumRuns) reasons.Add($"fewer than {MinimumRuns} completed runs in {a.Name}");
        // With no completed reference run the count above already says why; there is no mean to hold to a floor.
        if (ReferenceFloor is { } floor && reference.Sample.N > 0 && !(reference.Sample.Mean >= floor - NormFree.Notebooks.ReferenceFloor.Rounding))
            reasons.Add($"reference under-trained: {reference.Name} at {reference.Sample.ToString(Format)}, floor {floor.ToString(Format, CultureInfo.InvariantCulture)}");
        if (reasons.Count == 0 && arm.Sample.Std == 0 && reference.Sample.Std == 0)
            reasons.Add("no spread in either arm: Welch's t is undefined");

        var arms = $"{arm.Name} vs {reference.Name}";
        var runs = $"{arm.RunsText()} vs {reference.RunsText()}";
        var meanStd = $"{arm.Sample.ToString(Format)} vs {reference.Sample.ToString(Format)}";
        if (reasons.Count > 0) return new(Claim, arms, runs, meanStd, "Welch's t", double.NaN, Verdict.Inconclusive, string.Join("; ", reasons));

        var test = WelchTTest.Of(arm.Completed, reference.Completed);
        var (verdict, reason) = VerdictRules.FromTest(Expected, arm.Sample.Mean - reference.Sample.Mean, test.P);
        return new(Claim, arms, runs, meanStd, FormattableString.Invariant($"Welch's t = {test.T:G3}, df = {test.DegreesOfFreedom:G3}"), test.P, verdict, reason);
    }
}
