using NormFree.Notebooks;

namespace NormFree.Tests.Notebooks.Verdicts;

public class ClaimsTableTests
{
    [Fact]
    public void Formats_as_html_and_text_with_the_evidence_columns()
    {
        var accuracy = new MeanClaim("1. more accurate", Direction.Higher, ReferenceFloor: 0.85, Format: "F3");
        var claims = new ClaimsTable
        {
            accuracy.Judge(new Arm("NF", [0.912, 0.905, 0.918, 0.909, 0.915]), new Arm("BN", [0.901, 0.897, 0.905, 0.899], Diverged: 1)),
            ClaimRow.Partly("2. scales", ClaimRow.NeedsGpu("2a. ImageNet", "90 epochs"), ClaimRow.NeedsGpu("2b. WRN", "200 epochs")),
        };
        var formats = FormatterConventionTests.FormatByConvention(claims);
        Assert.Equal(["text/html", "text/plain"], formats.Keys.Order());
        Assert.Contains("<th style=\"text-align:left\">mean &#177; std</th>", formats["text/html"]); // ± as HtmlEncode writes it
        var lines = formats["text/plain"].Split('\n');
        Assert.Equal(["claim", "arm(s)", "n", "mean", "±", "std", "test", "p", "verdict", "reason"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("1. more accurate  NF vs BN  5 vs 4 (+1 diverged)  0.912 ± 0.005 vs 0.901 ± 0.003  Welch's t = 3.98, df = 6.88  0.00551  reproduced", lines[2]);
        Assert.StartsWith("2. scales", lines[3]);
        Assert.Contains("needs GPU", lines[3]); // both sub-claims agree
        Assert.StartsWith("  2a. ImageNet", lines[4]);
        Assert.StartsWith("  2b. WRN", lines[5]);
        Assert.Equal(6, lines.Length);
    }
}
