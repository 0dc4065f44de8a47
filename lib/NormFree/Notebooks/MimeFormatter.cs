namespace NormFree.Notebooks;

/// <summary>One formatter of the <see cref="TypeFormatterSourceAttribute"/> convention: renders a
/// <typeparamref name="T"/> as one MIME type. The member names (<c>MimeType</c>, <c>Type</c>,
/// <c>bool Format(object, TextWriter)</c>) are the convention's, found by reflection, so keep them.</summary>
public sealed class MimeFormatter<T>
{
    readonly Func<T, string> render;

    /// <param name="mimeType">e.g. <c>image/svg+xml</c>, <c>text/html</c>, <c>text/plain</c>.</param>
    /// <param name="render">the whole document for that MIME type (an <c>&lt;svg&gt;</c> element, an HTML fragment,
    /// plain text).</param>
    public MimeFormatter(string mimeType, Func<T, string> render)
    {
        if (string.IsNullOrWhiteSpace(mimeType) || !mimeType.Contains('/'))
            throw new ArgumentException($"'{mimeType}' is not a MIME type (expected e.g. image/svg+xml)", nameof(mimeType));
        MimeType = mimeType;
        this.render = render ?? throw new ArgumentNullException(nameof(render));
    }

    public string MimeType { get; }

    /// <summary>The type this formatter applies to (and its subtypes).</summary>
    public Type Type => typeof(T);

    /// <summary>Writes <paramref name="instance"/> and returns true, or returns false when it is not a
    /// <typeparamref name="T"/> (the host then tries the next formatter).</summary>
    public bool Format(object instance, TextWriter writer)
    {
        if (instance is not T value) return false;
        writer.Write(render(value));
        return true;
    }
}
