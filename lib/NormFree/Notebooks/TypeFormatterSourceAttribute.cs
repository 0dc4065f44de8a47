namespace NormFree.Notebooks;

/// <summary>Declares how a library type shows itself in a notebook: the <paramref name="formatterSourceType"/> has a
/// parameterless constructor and a public <c>IEnumerable&lt;object&gt; CreateTypeFormatters()</c> that yields
/// <see cref="MimeFormatter{T}"/>s, one per MIME type (<c>image/svg+xml</c>, <c>text/html</c>, <c>text/plain</c>).
/// <code>
/// [TypeFormatterSource(typeof(FigureFormatterSource), PreferredMimeTypes = ["image/svg+xml", "text/plain"])]
/// public sealed class Figure { ... }
///
/// sealed class FigureFormatterSource
/// {
///     public IEnumerable&lt;object&gt; CreateTypeFormatters() =>
///     [
///         new MimeFormatter&lt;Figure&gt;("image/svg+xml", f => f.ToSvg()),
///         new MimeFormatter&lt;Figure&gt;("text/plain", f => f.ToString()),
///     ];
/// }
/// </code>
/// </summary>
/// <remarks>This is .NET Interactive's convention-based formatter source, kept without a package reference:
/// .NET Interactive's <c>Formatter</c> looks for an attribute whose type is <em>named</em>
/// <c>TypeFormatterSourceAttribute</c> (any namespace), reads its <c>FormatterSourceType</c> and
/// <c>PreferredMimeTypes</c> properties, calls <c>CreateTypeFormatters()</c> on a new instance, and uses every
/// formatter that has a <c>MimeType</c> property and a <c>bool Format(object, TextWriter)</c> method (an optional
/// <c>Type</c> property narrows what it formats). NormFree's own kernel (lib/NormFree.Kernel) reads the same
/// attribute the same way, so a library type formats itself identically under both.
/// NOTE: it lives in NormFree.Notebooks rather than .NET Interactive's namespace: matching is by the simple name
/// only, and a second <c>Microsoft.DotNet.Interactive.Formatting.TypeFormatterSourceAttribute</c> would clash with
/// the real one in a notebook that imports that namespace.</remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true, Inherited = true)]
public sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    /// <summary>The type whose <c>CreateTypeFormatters()</c> yields the formatters.</summary>
    public Type FormatterSourceType { get; } = formatterSourceType;

    /// <summary>The MIME types a front end should show first, richest first; a notebook output carries every MIME
    /// type the source yields, in this order.</summary>
    public string[]? PreferredMimeTypes { get; set; }
}
