using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;

namespace NormFree.Notebooks;

/// <summary>A small table of results for a notebook: a claims table (claim · paper · ours · verdict), per-seed
/// numbers. Shows as an HTML table in Jupyter and as aligned text in a terminal.
/// <code>
/// var claims = new Table("claim", "paper", "ours", "verdict");
/// claims.Add("1. trains without BN", "92.1%", $"{mean:F1} ± {std:F1}%", verdict);
/// display(claims);
/// </code></summary>
[TypeFormatterSource(typeof(TableFormatterSource), PreferredMimeTypes = ["text/html", "text/plain"])]
public sealed class Table
{
    readonly List<string[]> rows = [];

    public Table(params string[] columns)
    {
        if (columns.Length == 0) throw new ArgumentException("a table needs at least one column", nameof(columns));
        Columns = columns;
    }

    public IReadOnlyList<string> Columns { get; }

    /// <summary>The rows as shown, one string per column.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows => rows;

    /// <summary>Appends a row with one value per column; numbers are written with 4 significant digits in the
    /// invariant culture, null as an empty cell. Returns the table, so adds chain.</summary>
    public Table Add(params object?[] cells)
    {
        if (cells.Length != Columns.Count)
            throw new ArgumentException($"row has {cells.Length} cells but the table has {Columns.Count} columns ({string.Join(", ", Columns)})", nameof(cells));
        rows.Add(cells.Select(Show).ToArray());
        return this;
    }

    /// <summary>A table with one column per public property of <typeparamref name="T"/> (e.g. a record) and one
    /// row per item.</summary>
    public static Table From<T>(IEnumerable<T> items)
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToArray();
        var table = new Table(properties.Select(p => p.Name).ToArray());
        foreach (var item in items) table.Add(properties.Select(p => p.GetValue(item)).ToArray());
        return table;
    }

    static string Show(object? value) => value switch
    {
        null => "",
        double d => d.ToString("G4", CultureInfo.InvariantCulture),
        float f => f.ToString("G4", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public string ToHtml()
    {
        var html = new StringBuilder("<table>\n<thead><tr>");
        foreach (var c in Columns) html.Append("<th style=\"text-align:left\">").Append(WebUtility.HtmlEncode(c)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var c in row) html.Append("<td style=\"text-align:left\">").Append(WebUtility.HtmlEncode(c)).Append("</td>");
            html.Append("</tr>\n");
        }
        return html.Append("</tbody>\n</table>").ToString();
    }

    /// <summary>Aligned plain text: header, a rule, one line per row.</summary>
    public override string ToString()
    {
        var widths = Columns.Select((c, j) => rows.Select(r => r[j].Length).Append(c.Length).Max()).ToArray();
        string Line(IEnumerable<string> cells) => string.Join("  ", cells.Select((c, j) => c.PadRight(widths[j]))).TrimEnd();
        var lines = new List<string> { Line(Columns), string.Join("  ", widths.Select(w => new string('-', w))) };
        lines.AddRange(rows.Select(Line));
        return string.Join("\n", lines);
    }
}

/// <summary>HTML and text for <see cref="Table"/>, through the <see cref="TypeFormatterSourceAttribute"/> convention.</summary>
sealed class TableFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() =>
    [
        new MimeFormatter<Table>("text/html", t => t.ToHtml()),
        new MimeFormatter<Table>("text/plain", t => t.ToString()),
    ];
}
