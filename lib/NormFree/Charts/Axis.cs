namespace NormFree.Charts;

/// <summary>How an axis maps data to position.</summary>
public enum Scale { Linear, Log }

/// <summary>One axis of a panel: data limits <c>[Min, Max]</c> mapped onto pixels <c>[From, To]</c> (for a y axis
/// From is the bottom edge), with its ticks. Categorical axes (bars, heatmaps) are linear axes over category indices
/// with one labelled tick per category; a heatmap's rows run top to bottom, so there Min &gt; Max.</summary>
internal sealed class Axis(Scale scale, double min, double max, double from, double to)
{
    public Scale Scale { get; } = scale;
    public double Min { get; } = min;
    public double Max { get; } = max;
    public double From { get; } = from;
    public double To { get; } = to;
    public List<Tick> Ticks { get; init; } = [];
    public List<double> MinorTicks { get; init; } = [];

    /// <summary>Values this axis can show: finite, and positive on a log axis.</summary>
    public bool Accepts(double v) => Accepts(Scale, v);

    public static bool Accepts(Scale scale, double v) => double.IsFinite(v) && (scale == Scale.Linear || v > 0);

    /// <summary>Pixel position of <paramref name="v"/>; NaN for values the axis cannot show.</summary>
    public double Map(double v)
    {
        if (!Accepts(v)) return double.NaN;
        var t = Scale == Scale.Log
            ? (Math.Log10(v) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
            : (v - Min) / (Max - Min);
        return From + t * (To - From);
    }

    /// <summary>Like <see cref="Map"/>, but a value the axis cannot show (≤ 0 on a log axis) goes to the
    /// <c>Min</c> edge: the lower edge of an error band that dips below zero runs along the axis.</summary>
    public double MapOrEdge(double v) => Accepts(v) ? Map(v) : double.IsNaN(v) ? double.NaN : From;

    /// <summary>Data limits for these values: the finite (positive on log) range, padded by <paramref name="pad"/> of
    /// its span (in log space on a log axis). No data: [0, 1] or [1, 10]. A single value: ±10 % (±1 around zero),
    /// or half a decade either side on a log axis.</summary>
    public static (double Min, double Max) AutoLimits(IEnumerable<double> values, Scale scale, double pad)
    {
        var shown = values.Where(v => Accepts(scale, v)).ToList();
        if (shown.Count == 0) return scale == Scale.Log ? (1, 10) : (0, 1);
        double lo = shown.Min(), hi = shown.Max();
        if (scale == Scale.Log)
        {
            double a = Math.Log10(lo), b = Math.Log10(hi);
            if (a == b) { a -= 0.5; b += 0.5; }
            var p = pad * (b - a);
            return (Math.Pow(10, a - p), Math.Pow(10, b + p));
        }
        if (lo == hi)
        {
            var d = lo == 0 ? 1 : Math.Abs(lo) * 0.1;
            return (lo - d, hi + d);
        }
        var q = pad * (hi - lo);
        return (lo - q, hi + q);
    }
}
