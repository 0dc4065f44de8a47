using System.Globalization;

namespace NormFree.Charts;

/// <summary>Series colours: the Okabe–Ito palette (Okabe &amp; Ito 2002, "Color Universal Design"), distinguishable
/// under the common colour-vision deficiencies. Ordered for a white background: black is dropped (it is the axis colour)
/// and yellow goes last (weak contrast on white).</summary>
public static class Palette
{
    public static readonly IReadOnlyList<string> OkabeIto =
    [
        "#0072B2", // blue
        "#E69F00", // orange
        "#009E73", // bluish green
        "#D55E00", // vermillion
        "#CC79A7", // reddish purple
        "#56B4E9", // sky blue
        "#F0E442", // yellow
    ];

    /// <summary>The colour of the <paramref name="index"/>-th series (cycles).</summary>
    public static string Series(int index) => OkabeIto[index % OkabeIto.Count];
}

/// <summary>Colour maps for heatmaps.</summary>
public enum ColorMap
{
    /// <summary>Sequential, perceptually uniform and colour-blind safe: matplotlib's viridis (Smith &amp; van der Walt 2015).</summary>
    Viridis,
    /// <summary>Diverging blue–white–red (ColorBrewer RdBu, the diverging scheme Paul Tol recommends); centred on zero by
    /// default, for signed quantities such as correlations.</summary>
    BlueRed,
}

internal static class ColorMaps
{
    // Nine evenly spaced stops of each map; colours in between are interpolated linearly in sRGB.
    static readonly string[] ViridisStops =
        ["#440154", "#482878", "#3E4A89", "#31688E", "#26828E", "#1F9E89", "#35B779", "#6DCD59", "#FDE725"];
    static readonly string[] BlueRedStops =
        ["#2166AC", "#4393C3", "#92C5DE", "#D1E5F0", "#F7F7F7", "#FDDBC7", "#F4A582", "#D6604D", "#B2182B"];

    public static bool IsDiverging(ColorMap map) => map == ColorMap.BlueRed;

    /// <summary>The colour at <paramref name="t"/> ∈ [0, 1] (clamped) as <c>#rrggbb</c>.</summary>
    public static string At(ColorMap map, double t)
    {
        var stops = map == ColorMap.Viridis ? ViridisStops : BlueRedStops;
        t = double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1);
        var pos = t * (stops.Length - 1);
        var i = Math.Min((int)pos, stops.Length - 2);
        var f = pos - i;
        var (r0, g0, b0) = Rgb(stops[i]);
        var (r1, g1, b1) = Rgb(stops[i + 1]);
        int Mix(int a, int b) => (int)Math.Round(a + f * (b - a));
        return $"#{Mix(r0, r1):x2}{Mix(g0, g1):x2}{Mix(b0, b1):x2}";
    }

    static (int R, int G, int B) Rgb(string hex) =>
        (Hex(hex, 1), Hex(hex, 3), Hex(hex, 5));

    static int Hex(string s, int at) => int.Parse(s.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
