using NormFree.Notebooks;

namespace NormFree.Charts;

/// <summary>How figures show in a notebook (<see cref="TypeFormatterSourceAttribute"/> convention, read by NormFree's
/// kernel and by .NET Interactive): inline <c>image/svg+xml</c>, with the <c>text/plain</c> summary as the fallback
/// for terminals and front ends without SVG.</summary>
sealed class ChartFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() =>
    [
        new MimeFormatter<IChart>("image/svg+xml", c => c.ToSvg()),
        new MimeFormatter<IChart>("text/plain", c => c.ToString() ?? ""),
    ];
}
