using System.Globalization;
using System.Xml.Linq;

namespace NormFree.Tests.Charts;

/// <summary>Reads back a rendered chart: parses the SVG (so every test also checks it is well-formed XML) and finds
/// elements by their class.</summary>
sealed class SvgReader
{
    static readonly XNamespace Ns = "http://www.w3.org/2000/svg";
    public XDocument Document { get; }

    public SvgReader(string svg)
    {
        Document = XDocument.Parse(svg);
        Assert.Equal(Ns + "svg", Document.Root!.Name);
    }

    public static double Num(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    public IEnumerable<XElement> All(string tag) => Document.Descendants(Ns + tag);

    public List<XElement> ByClass(string tag, string cls) =>
        All(tag).Where(e => ((string?)e.Attribute("class") ?? "").Split(' ').Contains(cls)).ToList();

    public static double Attr(XElement e, string name) => Num((string)e.Attribute(name)!);

    /// <summary>The plot area of the n-th panel: x, y, width, height in pixels.</summary>
    public (double X, double Y, double W, double H) PlotArea(int panel = 0)
    {
        var r = ByClass("rect", "plot-area")[panel];
        return (Attr(r, "x"), Attr(r, "y"), Attr(r, "width"), Attr(r, "height"));
    }

    /// <summary>Subpaths of a path's <c>d</c> ("M x,y L x,y … M …"), each a list of points.</summary>
    public static List<List<(double X, double Y)>> Subpaths(XElement path)
    {
        var runs = new List<List<(double X, double Y)>>();
        foreach (var token in ((string)path.Attribute("d")!).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (token[0] == 'M') runs.Add([]);
            var xy = token[1..].Split(',');
            runs[^1].Add((Num(xy[0]), Num(xy[1])));
        }
        return runs;
    }

    /// <summary>Plain text of every element of a class, in document order (tspans included).</summary>
    public List<string> Texts(string cls) => ByClass("text", cls).Select(e => e.Value).ToList();
}
