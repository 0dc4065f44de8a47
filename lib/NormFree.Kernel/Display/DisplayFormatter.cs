using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;

namespace NormFree.Kernel.Display;

/// <summary>Turns an object into a Jupyter MIME bundle (<c>{"image/svg+xml": "...", "text/plain": "..."}</c>).
/// Library types describe themselves with .NET Interactive's convention-based formatter source, matched by name so
/// the kernel needs no reference to the library: an attribute named <c>TypeFormatterSourceAttribute</c> with a
/// <c>FormatterSourceType</c> (and optionally <c>PreferredMimeTypes</c>); that type's
/// <c>CreateTypeFormatters()</c> yields objects with a <c>MimeType</c>, an optional <c>Type</c> and
/// <c>bool Format(object, TextWriter)</c>. Everything also gets a <c>text/plain</c> rendering.</summary>
public static class DisplayFormatter
{
    /// <summary>Items of a sequence shown in plain text before "... (N more)".</summary>
    const int ListLimit = 20;

    sealed record Convention(string MimeType, Type? AppliesTo, object Formatter, MethodInfo Format);

    static readonly ConcurrentDictionary<Type, Convention[]> Conventions = new();

    /// <summary>The MIME bundle for <paramref name="value"/>; with <paramref name="mimeTypes"/> given, only those
    /// (plus <c>text/plain</c>, which every output carries as a fallback).</summary>
    public static JsonObject Format(object? value, IReadOnlyCollection<string>? mimeTypes = null)
    {
        var bundle = new JsonObject();
        if (value is HtmlString html) bundle["text/html"] = html.Html;
        else if (value is not null)
            foreach (var c in ConventionsFor(value.GetType()))
            {
                if (bundle.ContainsKey(c.MimeType) || (mimeTypes is { Count: > 0 } && !mimeTypes.Contains(c.MimeType))) continue;
                if (c.AppliesTo is not null && !c.AppliesTo.IsInstanceOfType(value)) continue;
                if (TryRun(c, value) is { } text) bundle[c.MimeType] = IsJson(c.MimeType) ? JsonNode.Parse(text) : text;
            }
        if (!bundle.ContainsKey("text/plain")) bundle["text/plain"] = PlainText(value);
        return bundle;
    }

    static string? TryRun(Convention c, object value)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        try
        {
            return (bool)c.Format.Invoke(c.Formatter, [value, writer])! ? writer.ToString() : null;
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw new InvalidOperationException($"formatting {value.GetType().Name} as {c.MimeType} failed: {inner.Message}", inner);
        }
    }

    static bool IsJson(string mimeType) => mimeType == "application/json" || mimeType.EndsWith("+json", StringComparison.Ordinal);

    static Convention[] ConventionsFor(Type type) => Conventions.GetOrAdd(type, static t =>
    {
        var preferred = new List<string>();
        var found = new List<Convention>();
        foreach (var attribute in t.GetCustomAttributes(inherit: true).Where(a => a.GetType().Name == "TypeFormatterSourceAttribute"))
        {
            var at = attribute.GetType();
            if (at.GetProperty("PreferredMimeTypes")?.GetValue(attribute) is string[] p) preferred.AddRange(p);
            if (at.GetProperty("FormatterSourceType")?.GetValue(attribute) is not Type sourceType) continue;
            var source = Activator.CreateInstance(sourceType, nonPublic: true)!;
            if (sourceType.GetMethod("CreateTypeFormatters")?.Invoke(source, null) is not IEnumerable formatters) continue;
            foreach (var f in formatters)
            {
                var ft = f.GetType();
                if (ft.GetProperty("MimeType")?.GetValue(f) is not string mime) continue;
                if (ft.GetMethod("Format", [typeof(object), typeof(TextWriter)]) is not { } format || format.ReturnType != typeof(bool)) continue;
                found.Add(new Convention(mime, ft.GetProperty("Type")?.GetValue(f) as Type, f, format));
            }
        }
        // Preferred MIME types first, in the order the attribute gives; the rest as the source yields them.
        return found.OrderBy(c => preferred.IndexOf(c.MimeType) is var i and >= 0 ? i : int.MaxValue).ToArray();
    });

    /// <summary>Plain text: strings as they are, numbers in the invariant culture, sequences as
    /// <c>[a, b, c ... (N more)]</c>, anything else through <c>ToString()</c>.</summary>
    public static string PlainText(object? value) => value switch
    {
        null => "<null>",
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e when !HasOwnToString(value.GetType()) => Sequence(e),
        _ => value.ToString() ?? value.GetType().Name,
    };

    static bool HasOwnToString(Type t) =>
        t.GetMethod("ToString", Type.EmptyTypes)?.DeclaringType is { } d && d != typeof(object) && d != typeof(ValueType);

    static string Sequence(IEnumerable items)
    {
        var text = new StringBuilder("[");
        var n = 0;
        foreach (var item in items)
        {
            if (n == ListLimit) { text.Append(" ..."); break; }
            if (n++ > 0) text.Append(", ");
            text.Append(PlainText(item));
        }
        return text.Append(']').ToString();
    }
}
