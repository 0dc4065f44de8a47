namespace NormFree.Charts;

/// <summary>Something that renders to a standalone SVG document: a <see cref="Figure"/> or a <see cref="FigureGrid"/>.
/// Notebooks show it as <c>image/svg+xml</c>, with <c>ToString()</c> as the <c>text/plain</c> fallback.</summary>
public interface IChart
{
    string ToSvg();
}
