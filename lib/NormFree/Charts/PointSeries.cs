namespace NormFree.Charts;

/// <summary>A series given as points <c>(xs[i], ys[i])</c>: a line or a scatter.</summary>
internal abstract class PointSeries : Series
{
    protected readonly IReadOnlyList<double> xs, ys;
    readonly string kind;

    protected PointSeries(string kind, IReadOnlyList<double> xs, IReadOnlyList<double> ys, string? label, string color)
        : base(label, color)
    {
        CheckLengths(kind, xs, ys);
        (this.kind, this.xs, this.ys) = (kind, xs.ToArray(), ys.ToArray());
    }

    public override IEnumerable<double> XExtent => xs;
    public override IEnumerable<double> YExtent => ys;

    public override string Describe(Scale x, Scale y) => $"{Name(kind.ToLowerInvariant())}: {Summary(xs, ys, x, y)}";
}
