using System.Collections;
using System.Globalization;

namespace NormFree.Notebooks;

/// <summary>A notebook's verdict table: one <see cref="ClaimRow"/> per claim, sub-claims of a "partly" row listed
/// below it. Shows as an HTML table in Jupyter and as aligned text in a terminal, through <see cref="Table"/>.
/// <code>
/// var accuracy = new MeanClaim("1. SkipInit matches BN's accuracy or beats it", Direction.Higher, ReferenceFloor: 0.85);
/// var claims = new ClaimsTable { accuracy.Judge(skipInit, batchNorm), ClaimRow.NeedsGpu("2. ImageNet", "90 epochs") };
/// display(claims);
/// </code></summary>
[TypeFormatterSource(typeof(ClaimsTableFormatterSource), PreferredMimeTypes = ["text/html", "text/plain"])]
public sealed class ClaimsTable : IEnumerable<ClaimRow>
{
    public static IReadOnlyList<string> Columns { get; } = ["claim", "arm(s)", "n", "mean ± std", "test", "p", "verdict", "reason"];

    readonly List<ClaimRow> rows = [];

    public IReadOnlyList<ClaimRow> Rows => rows;

    public ClaimsTable Add(ClaimRow row)
    {
        rows.Add(row);
        return this;
    }

    /// <summary>The rows as a <see cref="Table"/>; a sub-claim is indented under its "partly" row, and an empty p
    /// cell means no test ran (the reason says why).</summary>
    public Table ToTable()
    {
        var table = new Table([.. Columns]);
        void AddRow(ClaimRow r, string indent)
        {
            table.Add(indent + r.Claim, r.Arms, r.Runs, r.MeanStd, r.Test, double.IsNaN(r.P) ? "" : r.P.ToString("G3", CultureInfo.InvariantCulture), r.Verdict.Words(), r.Reason);
            foreach (var part in r.Parts) AddRow(part, indent + "  ");
        }
        foreach (var row in rows) AddRow(row, "");
        return table;
    }

    public override string ToString() => ToTable().ToString();

    public IEnumerator<ClaimRow> GetEnumerator() => rows.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>HTML and text for <see cref="ClaimsTable"/>, through the <see cref="TypeFormatterSourceAttribute"/> convention.</summary>
sealed class ClaimsTableFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() =>
    [
        new MimeFormatter<ClaimsTable>("text/html", t => t.ToTable().ToHtml()),
        new MimeFormatter<ClaimsTable>("text/plain", t => t.ToString()),
    ];
}
