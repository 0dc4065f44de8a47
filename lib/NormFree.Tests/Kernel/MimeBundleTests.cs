using Microsoft.DotNet.Interactive.Formatting;
using NormFree.Kernel.Display;

namespace NormFree.Tests.Kernel;

public class MimeBundleTests
{
    [Fact]
    public void Json_mime_types_are_embedded_as_json_and_text_is_added_when_missing()
    {
        var bundle = MimeBundle.From([new FormattedValue("application/vnd.plotly.v1+json", "{\"data\": [1]}"), new FormattedValue("text/html", "<div/>")], 42);
        Assert.Equal(["application/vnd.plotly.v1+json", "text/html", "text/plain"], bundle.Select(kv => kv.Key));
        Assert.Equal(1, (int?)bundle["application/vnd.plotly.v1+json"]!["data"]![0]);
        Assert.Equal("42", (string?)bundle["text/plain"]);
    }

    [Fact]
    public void Given_text_is_kept_and_the_first_value_of_a_mime_type_wins()
    {
        var bundle = MimeBundle.From([new FormattedValue("text/plain", "shown"), new FormattedValue("text/plain", "ignored")], 42);
        Assert.Equal("shown", (string?)bundle["text/plain"]);
        Assert.Single(bundle);
    }

    [Fact]
    public void Json_that_does_not_parse_stays_text()
    {
        var bundle = MimeBundle.From([new FormattedValue("application/json", "{not json")], null);
        Assert.Equal("{not json", (string?)bundle["application/json"]);
    }
}
