using System.Globalization;
using System.Text;

namespace NormFree.Charts;

/// <summary>A minimal SVG writer: elements appended as text, numbers in invariant culture rounded to 0.01 px
/// (finer than any screen resolves; keeps the output small and stable across runs).</summary>
internal sealed class Svg
{
    readonly StringBuilder sb = new();

    public static string Num(double v) => Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);

    public static string Escape(string s) => s
        .Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    /// <summary>Append raw markup (already escaped).</summary>
    public Svg Raw(string markup) { sb.Append(markup); return this; }

    public Svg Rect(double x, double y, double w, double h, string attributes) =>
        Raw($"<rect x=\"{Num(x)}\" y=\"{Num(y)}\" width=\"{Num(w)}\" height=\"{Num(h)}\" {attributes}/>\n");

    public Svg Line(double x1, double y1, double x2, double y2, string attributes) =>
        Raw($"<line x1=\"{Num(x1)}\" y1=\"{Num(y1)}\" x2=\"{Num(x2)}\" y2=\"{Num(y2)}\" {attributes}/>\n");

    public Svg Circle(double cx, double cy, double r, string attributes) =>
        Raw($"<circle cx=\"{Num(cx)}\" cy=\"{Num(cy)}\" r=\"{Num(r)}\" {attributes}/>\n");

    /// <summary>A text element; <paramref name="content"/> is markup (escape plain strings first).</summary>
    public Svg Text(double x, double y, string content, string attributes) =>
        Raw($"<text x=\"{Num(x)}\" y=\"{Num(y)}\" {attributes}>{content}</text>\n");

    /// <summary>Path data for polylines: one <c>M</c> per run of points, <c>L</c> between them.</summary>
    public static string PathData(IEnumerable<IReadOnlyList<(double X, double Y)>> runs)
    {
        var d = new StringBuilder();
        foreach (var run in runs)
            for (var i = 0; i < run.Count; i++)
                d.Append(i == 0 ? (d.Length == 0 ? "M" : " M") : " L").Append(Num(run[i].X)).Append(',').Append(Num(run[i].Y));
        return d.ToString();
    }

    public override string ToString() => sb.ToString();
}
