using System.Text.Json;
using Microsoft.DotNet.Interactive.Formatting;

namespace NormFree.Kernel.Display;

/// <summary>A Jupyter MIME bundle (<c>{"text/html": "...", "text/plain": "..."}</c>) from the values .NET
/// Interactive's formatter produced.</summary>
public static class MimeBundle
{
    /// <summary>The bundle for <paramref name="formatted"/>; JSON MIME types are embedded as JSON (as Jupyter
    /// expects), and <c>text/plain</c> is added from <paramref name="value"/> when missing, so every output has the
    /// fallback that the protocol asks for.</summary>
    public static JsonObject From(IEnumerable<FormattedValue> formatted, object? value)
    {
        var bundle = new JsonObject();
        foreach (var f in formatted)
        {
            // An empty payload is a rendering that failed (a chart's PNG when Chromium broke mid-session): leave it out.
            if (bundle.ContainsKey(f.MimeType) || string.IsNullOrEmpty(f.Value)) continue;
            bundle[f.MimeType] = IsJson(f.MimeType) && TryParse(f.Value) is { } json ? json : f.Value;
        }
        if (!bundle.ContainsKey(PlainTextFormatter.MimeType)) bundle[PlainTextFormatter.MimeType] = value.ToDisplayString(PlainTextFormatter.MimeType);
        return bundle;
    }

    static bool IsJson(string mimeType) => mimeType == "application/json" || mimeType.EndsWith("+json", StringComparison.Ordinal);

    static JsonNode? TryParse(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return null; }
    }
}
