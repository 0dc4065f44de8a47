using System.Globalization;

namespace NormFree.Notebooks;

/// <summary>A claim about an ordering over many rows ("our accuracies rank the methods as the paper's table does";
/// "accuracy falls with depth"), judged by Spearman's ρ and its p (VERDICTS.md). Define it before any run;
/// <see cref="Judge"/> it once the runs are in.</summary>
/// <param name="Claim">the claim as the table shows it.</param>
/// <param name="Expected"><see cref="Direction.Higher"/>: ours rises with the paper's numbers (ρ &gt; 0);
/// <see cref="Direction.Lower"/>: ours falls as they rise.</param>
public sealed record OrderingClaim(string Claim, Direction Expected)
{
    /// <param name="rows">what the rows are, e.g. "6 methods" or "depths 8–64".</param>
    /// <param name="paper">the paper's number (or the varied quantity) per row.</param>
    /// <param name="ours">our number per row; NaN where a row has none (every run diverged): such rows are left out
    /// of ρ and counted in the reason.</param>
    public ClaimRow Judge(string rows, IReadOnlyList<double> paper, IReadOnlyList<double> ours)
    {
        if (paper.Count != ours.Count) throw new ArgumentException($"'{Claim}': {paper.Count} paper values for {ours.Count} of ours");
        var kept = Enumerable.Range(0, paper.Count).Where(i => double.IsFinite(paper[i]) && double.IsFinite(ours[i])).ToArray();
        var (x, y) = (kept.Select(i => paper[i]).ToArray(), kept.Select(i => ours[i]).ToArray());
        var missing = paper.Count - kept.Length;
        var notes = missing > 0 ? new List<string> { $"{missing} of {paper.Count} rows without a value, left out" } : [];
        var runs = $"{kept.Length} rows";

        string? undecidable = kept.Length < SpearmanTest.MinimumPairs ? $"fewer than {SpearmanTest.MinimumPairs} rows with values"
            : x.All(v => v == x[0]) || y.All(v => v == y[0]) ? "one side is constant: ρ is undefined"
            : null;
        if (undecidable is not null)
            return new(Claim, rows, runs, "", "Spearman's ρ", double.NaN, Verdict.Inconclusive, string.Join("; ", notes.Prepend(undecidable)));

        var test = SpearmanTest.Of(x, y);
        var (verdict, reason) = VerdictRules.FromTest(Expected, test.Rho, test.P);
        if (reason.Length > 0) notes.Insert(0, reason);
        return new(Claim, rows, runs, "", $"Spearman's ρ = {test.Rho.ToString("G3", CultureInfo.InvariantCulture)}", test.P, verdict, string.Join("; ", notes));
    }
}
