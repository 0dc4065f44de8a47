using System.Collections;
using Microsoft.DotNet.Interactive.Formatting;
using NormFree.Notebooks;
using NormFree.Training;

namespace NormFree.Tests.Notebooks;

/// <summary>Reads formatters the way .NET Interactive's convention does (attribute matched by simple name, members
/// found by reflection), so renaming a member the convention relies on fails here.</summary>
public class FormatterConventionTests
{
    internal static Dictionary<string, string> FormatByConvention(object value)
    {
        var result = new Dictionary<string, string>();
        foreach (var attribute in value.GetType().GetCustomAttributes(true).Where(a => a.GetType().Name == "TypeFormatterSourceAttribute"))
        {
            var sourceType = (Type)attribute.GetType().GetProperty("FormatterSourceType")!.GetValue(attribute)!;
            var source = Activator.CreateInstance(sourceType, nonPublic: true)!;
            var formatters = (IEnumerable)sourceType.GetMethod("CreateTypeFormatters")!.Invoke(source, null)!;
            foreach (var formatter in formatters)
            {
                var mime = (string)formatter.GetType().GetProperty("MimeType")!.GetValue(formatter)!;
                var format = formatter.GetType().GetMethod("Format", [typeof(object), typeof(TextWriter)])!;
                Assert.Equal(typeof(bool), format.ReturnType);
                var writer = new StringWriter();
                if ((bool)format.Invoke(formatter, [value, writer])!) result[mime] = writer.ToString();
            }
        }
        return result;
    }

    [Fact]
    public void Table_formats_as_html_and_text_by_convention()
    {
        var table = new Table("claim", "ours").Add("a < b", 0.123456).Add("c", null);
        var formats = FormatByConvention(table);
        Assert.Equal(["text/html", "text/plain"], formats.Keys.Order());
        Assert.Contains("<td style=\"text-align:left\">a &lt; b</td><td style=\"text-align:left\">0.1235</td>", formats["text/html"]);
        Assert.Equal("claim  ours\n-----  ------\na < b  0.1235\nc", formats["text/plain"]);
    }

    [Fact]
    public void Preferred_mime_types_are_readable_by_name()
    {
        var attribute = typeof(Table).GetCustomAttributes(true).Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        Assert.Equal(["text/html", "text/plain"], (string[])attribute.GetType().GetProperty("PreferredMimeTypes")!.GetValue(attribute)!);
    }

    /// <summary>The kernel hosts .NET Interactive's own <c>Formatter</c>: it must find each library type's formatter
    /// source through the convention (by attribute name, no package reference from the library), give the same text as
    /// the source's formatters, and offer the preferred MIME types. Types of other assemblies that follow the convention format
    /// the same way (TorchSharp's tensor declares one).</summary>
    [Fact]
    public void Dotnet_interactive_formatter_picks_up_the_library_formatters()
    {
        var table = new Table("claim", "ours").Add("a < b", 0.123456).Add("c", null);
        var history = new History { Label = "seed 1" };
        history.AddStep(2.3);
        history.Add(new EpochRecord(1, 2.3, 0.25, 2.1, 0.3, 0.1, 1.5));
        foreach (var value in new object[] { table, history })
        {
            var convention = FormatByConvention(value);
            Assert.Equal(convention["text/html"], value.ToDisplayString("text/html"));
            Assert.Equal(convention["text/plain"], value.ToDisplayString("text/plain"));
            var formatted = FormattedValue.CreateManyFromObject(value);
            Assert.Equal(["text/html", "text/plain"], formatted.Select(f => f.MimeType));
            Assert.Equal(convention["text/html"], formatted[0].Value);
        }
        Assert.Contains("0.1235", table.ToDisplayString("text/html"));

        // TorchSharp's Tensor declares its own source by the same convention, and the formatter picks that up too.
        using var t = torch.tensor(new float[] { 1, 2, 3 });
        var tensor = FormatByConvention(t);
        Assert.Equal(tensor["text/plain"], t.ToDisplayString("text/plain"));
        Assert.Contains("1 2 3", tensor["text/plain"]);
    }

    [Fact]
    public void A_formatter_declines_other_types()
    {
        var formatter = new MimeFormatter<Table>("text/plain", t => t.ToString());
        Assert.False(formatter.Format("not a table", new StringWriter()));
        Assert.Equal(typeof(Table), formatter.Type);
    }

    [Fact]
    public void Bad_mime_type_and_wrong_row_length_are_argument_errors()
    {
        Assert.Throws<ArgumentException>(() => new MimeFormatter<Table>("svg", t => ""));
        var e = Assert.Throws<ArgumentException>(() => new Table("a", "b").Add(1));
        Assert.Contains("1 cells but the table has 2 columns", e.Message);
    }

    record Run(int Seed, double Accuracy);

    [Fact]
    public void Table_from_records_uses_their_properties()
    {
        var table = Table.From([new Run(0, 0.91), new Run(1, 0.925)]);
        Assert.Equal(["Seed", "Accuracy"], table.Columns);
        Assert.Equal(["1", "0.925"], table.Rows[1]);
    }
}
