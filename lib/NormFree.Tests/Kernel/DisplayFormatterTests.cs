using System.Globalization;
using NormFree.Kernel.Display;
using NormFree.Notebooks;

namespace NormFree.Tests.Kernel;

public class DisplayFormatterTests
{
    [Fact]
    public void Library_types_format_through_their_formatter_source_in_preferred_order()
    {
        var bundle = DisplayFormatter.Format(new Table("a").Add(1));
        Assert.Equal(["text/html", "text/plain"], bundle.Select(kv => kv.Key));
        Assert.StartsWith("<table>", (string?)bundle["text/html"]);
        Assert.Equal("a\n-\n1", (string?)bundle["text/plain"]);
    }

    [Fact]
    public void Requested_mime_types_restrict_the_bundle_but_text_stays()
    {
        var bundle = DisplayFormatter.Format(new Table("a").Add(1), ["text/plain"]);
        Assert.Equal(["text/plain"], bundle.Select(kv => kv.Key));
    }

    sealed class ChartSource
    {
        public IEnumerable<object> CreateTypeFormatters() =>
        [
            new MimeFormatter<Chart>("image/svg+xml", c => c.Broken ? throw new InvalidDataException("no axes") : "<svg/>"),
            new MimeFormatter<Chart>("application/vnd.test+json", _ => "{\"x\": 1}"),
        ];
    }

    [TypeFormatterSource(typeof(ChartSource), PreferredMimeTypes = ["image/svg+xml"])]
    sealed class Chart
    {
        public bool Broken;
        public override string ToString() => "a chart";
    }

    [Fact]
    public void Svg_comes_first_with_a_text_fallback_from_ToString_and_json_types_stay_json()
    {
        var bundle = DisplayFormatter.Format(new Chart());
        Assert.Equal(["image/svg+xml", "application/vnd.test+json", "text/plain"], bundle.Select(kv => kv.Key));
        Assert.Equal("a chart", (string?)bundle["text/plain"]);
        Assert.Equal(1, (int?)bundle["application/vnd.test+json"]!["x"]);
    }

    [Fact]
    public void A_failing_formatter_names_the_type_and_mime_type()
    {
        var e = Assert.Throws<InvalidOperationException>(() => DisplayFormatter.Format(new Chart { Broken = true }));
        Assert.Contains("Chart as image/svg+xml failed: no axes", e.Message);
    }

    [TypeFormatterSource(typeof(ChartSource))]
    sealed class NotAChart
    {
    }

    [Fact]
    public void A_formatter_for_another_type_is_skipped()
    {
        Assert.Equal(["text/plain"], DisplayFormatter.Format(new NotAChart()).Select(kv => kv.Key));
    }

    [Fact]
    public void Plain_text_is_culture_invariant_and_lists_sequences()
    {
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            Assert.Equal("0.5", DisplayFormatter.PlainText(0.5));
            Assert.Equal("[1.5, 2]", DisplayFormatter.PlainText(new[] { 1.5, 2.0 }));
        }
        finally { CultureInfo.CurrentCulture = saved; }
        Assert.Equal("<null>", DisplayFormatter.PlainText(null));
        Assert.Equal("[" + string.Join(", ", Enumerable.Range(0, 20)) + " ...]", DisplayFormatter.PlainText(Enumerable.Range(0, 100)));
        Assert.Equal("(1, x)", DisplayFormatter.PlainText((1, "x")));
    }

    [Fact]
    public void Html_strings_show_as_html()
    {
        var bundle = DisplayFormatter.Format(new HtmlString("<b>ok</b>"));
        Assert.Equal("<b>ok</b>", (string?)bundle["text/html"]);
    }
}
