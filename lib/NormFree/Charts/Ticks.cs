using System.Globalization;

namespace NormFree.Charts;

/// <summary>A labelled tick. <see cref="Exponent"/> is set for <c>10^k</c> labels, drawn as a superscript.</summary>
internal readonly record struct Tick(double Value, string Label, string? Exponent = null)
{
    /// <summary>Plain text (for width estimates and text/plain descriptions).</summary>
    public string Text => Exponent is null ? Label : $"{Label}^{Exponent}";

    public string Markup => Exponent is null
        ? Svg.Escape(Label)
        : $"{Svg.Escape(Label)}<tspan dy=\"-0.45em\" font-size=\"0.75em\">{Svg.Escape(Exponent)}</tspan>";
}

/// <summary>Tick selection. Linear axes: "nice numbers" (Heckbert, "Nice numbers for graph labels", Graphics Gems,
/// 1990): steps of 1, 2 or 5 × 10^e, about <c>target</c> of them, at integer multiples of the step so labels are
/// round. Log axes: one tick per decade (every n-th decade when there are many), with unlabelled minor ticks at
/// 2..9 × 10^k; a range narrower than a decade falls back to 1, 2, 5 × 10^k and then to linear ticks.</summary>
internal static class Ticks
{
    public static List<Tick> Linear(double min, double max, int target)
    {
        var (lo, hi) = (Math.Min(min, max), Math.Max(min, max));
        var span = hi - lo;
        if (!(span > 0) || !double.IsFinite(span)) return [];
        var raw = span / Math.Max(1, target);
        var e = (int)Math.Floor(Math.Log10(raw));
        var f = raw / Math.Pow(10, e);
        // Round the raw step to the nearest of 1, 2, 5, 10 (Heckbert's rounding thresholds 1.5, 3, 7).
        var nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
        if (nice == 10) { nice = 1; e++; }
        // k·nice·10^e computed so that negative exponents divide (0.1·3 ≠ 3/10 in binary; the latter prints cleanly).
        double At(long k) => e >= 0 ? k * nice * Math.Pow(10, e) : k * nice / Math.Pow(10, -e);
        var step = At(1);
        var kLo = (long)Math.Ceiling(lo / step - 1e-9);
        var kHi = (long)Math.Floor(hi / step + 1e-9);
        var scientific = Math.Max(Math.Abs(lo), Math.Abs(hi)) >= 1e6 || step < 1e-4;
        var ticks = new List<Tick>();
        for (var k = kLo; k <= kHi; k++)
        {
            var v = At(k);
            ticks.Add(new Tick(v, scientific ? Scientific(v) : Fixed(v, Math.Max(0, -e))));
        }
        return ticks;
    }

    public static (List<Tick> Major, List<double> Minor) Log(double min, double max, int target)
    {
        var (lo, hi) = (Math.Min(min, max), Math.Max(min, max));
        var (d0, d1) = ((int)Math.Ceiling(Math.Log10(lo) - 1e-9), (int)Math.Floor(Math.Log10(hi) + 1e-9));
        var decades = d1 - d0 + 1;
        if (decades >= 3) return Decades(lo, hi, d0, d1, target);
        // Two decade ticks or fewer say little: label 1, 2, 5 × 10^k (or every mantissa in a narrow range).
        var few = Mantissas(lo, hi, d0, d1, [1, 2, 5]);
        if (few.Count >= 3 && few.Count <= Math.Max(3, 1.5 * target)) return (few, []);
        if (decades == 2) return Decades(lo, hi, d0, d1, target);
        var all = Mantissas(lo, hi, d0, d1, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        if (all.Count >= 2 && all.Count <= Math.Max(3, 1.5 * target)) return (all, []);
        return (Linear(lo, hi, target), []);
    }

    static bool Inside(double v, double lo, double hi) => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);

    /// <summary>A labelled tick every <c>stride</c> decades (about <paramref name="target"/> of them), other decades
    /// and (at stride 1) 2..9 × 10^k as minor ticks.</summary>
    static (List<Tick> Major, List<double> Minor) Decades(double lo, double hi, int d0, int d1, int target)
    {
        var stride = Math.Max(1, (int)Math.Ceiling((d1 - d0 + 1) / (double)Math.Max(1, target)));
        var plain = d0 >= -3 && d1 <= 4; // 0.001 … 10000 read more easily than 10^k
        var major = new List<Tick>();
        var minor = new List<double>();
        for (var d = d0; d <= d1; d++)
        {
            if (d % stride != 0) { minor.Add(Pow10(d)); continue; }
            major.Add(plain ? new Tick(Pow10(d), Fixed(Pow10(d), Math.Max(0, -d)))
                            : new Tick(Pow10(d), "10", Minus(d.ToString(CultureInfo.InvariantCulture))));
        }
        if (stride == 1)
            for (var d = d0 - 1; d <= d1; d++)
                for (var m = 2; m <= 9; m++)
                    if (Inside(m * Pow10(d), lo, hi)) minor.Add(m * Pow10(d));
        return (major, minor);
    }

    static List<Tick> Mantissas(double lo, double hi, int d0, int d1, int[] mantissas)
    {
        var values = new List<(double Value, int Decade)>();
        for (var d = d0 - 1; d <= d1; d++)
            foreach (var m in mantissas)
                if (Inside(m * Pow10(d), lo, hi)) values.Add((m * Pow10(d), d));
        // One notation for the whole axis: scientific if any label would need it.
        var scientific = values.Any(v => v.Value >= 1e6 || v.Value < 1e-4);
        return values.Select(v => new Tick(v.Value, scientific ? Scientific(v.Value) : Fixed(v.Value, Math.Max(0, -v.Decade)))).ToList();
    }

    /// <summary>Ticks at category indices 0 … count−1: every index, or every n-th (n = 1, 2 or 5 × 10^k) when there
    /// are more than about <paramref name="target"/>.</summary>
    public static List<Tick> Indices(int count, double target)
    {
        var step = 1; // 1, 2, 5, 10, 20, 50, …
        for (var k = 1; count / (double)step > Math.Max(2, target); k++) step = new[] { 1, 2, 5 }[k % 3] * (int)Math.Pow(10, k / 3);
        return Enumerable.Range(0, count).Where(i => i % step == 0)
            .Select(i => new Tick(i, i.ToString(CultureInfo.InvariantCulture))).ToList();
    }

    static double Pow10(int d) => d >= 0 ? Math.Pow(10, d) : 1 / Math.Pow(10, -d);

    /// <summary>Fixed-point label with a typographic minus.</summary>
    public static string Fixed(double v, int decimals)
    {
        if (Math.Abs(v) >= 1e6 || (v != 0 && Math.Abs(v) < 1e-4)) return Scientific(v);
        return Minus(v.ToString("F" + Math.Min(decimals, 10), CultureInfo.InvariantCulture));
    }

    public static string Scientific(double v) =>
        v == 0 ? "0" : Minus(v.ToString("0.###e0", CultureInfo.InvariantCulture));

    /// <summary>A short label for an arbitrary value (text/plain summaries).</summary>
    public static string Short(double v) => Minus(v.ToString("G4", CultureInfo.InvariantCulture));

    /// <summary>At most three significant digits and two decimals: 0.87, −0.05, 12.3, 1.2e+04 (heatmap cells).</summary>
    public static string Compact(double v) =>
        Minus(Math.Abs(v) >= 1000 || (v != 0 && Math.Abs(v) < 0.01)
            ? v.ToString("0.#e0", CultureInfo.InvariantCulture)
            : v.ToString(Math.Abs(v) >= 100 ? "0" : Math.Abs(v) >= 10 ? "0.#" : "0.##", CultureInfo.InvariantCulture));

    static string Minus(string s) => s.Replace('-', '\u2212');
}
