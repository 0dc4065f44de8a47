namespace NormFree.Charts;

/// <summary>Sizes and colours shared by every figure. Sizes are CSS pixels, chosen to read at a notebook's usual
/// output width (≈ 800–1000 px): 11–14 px text, a 560 × 360 figure, 1.8 px lines.</summary>
internal static class Theme
{
    public const string Font = "DejaVu Sans, Helvetica, Arial, sans-serif";
    public const double TitleSize = 14, LabelSize = 12, TickSize = 11;
    public const double Width = 560, Height = 360;
    public const double LineWidth = 1.8, MarkerRadius = 3;
    public const double BandOpacity = 0.25;
    public const string Ink = "#222222", Grid = "#e6e6e6", Reference = "#555555";
    public const double TickLength = 4;

    /// <summary>Estimated width of <paramref name="text"/>: DejaVu Sans digits are 0.64 em, letters ≈ 0.6 em on
    /// average. Only used to make room for labels, so an estimate is enough.</summary>
    public static double TextWidth(string text, double size) => text.Length * size * 0.62;

    public static string Dash(bool dashed) => dashed ? " stroke-dasharray=\"6 4\"" : "";
}
