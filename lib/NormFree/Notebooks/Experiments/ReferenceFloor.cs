namespace NormFree.Notebooks;

/// <summary>VERDICTS.md's reference floor: an arm others are compared against must first reach its quality floor in
/// the same budget. <see cref="Apply"/> turns a training row (and each of its sub-claims) inconclusive when it did
/// not, whatever the other arms did; rows that need a GPU keep their verdict.
/// <para>A mean exactly at the floor reaches it: the mean of accuracies (multiples of 1/test images) is summed in
/// floating point, so three runs averaging exactly 80 % can come out one ulp below 0.8; <see cref="Rounding"/> absorbs
/// that, far below one test image of any test set.</para></summary>
public sealed record ReferenceFloor(Arm Reference, double Floor)
{
    public const double Rounding = 1e-9;

    public bool Reached => Reference.Sample.N > 0 && Reference.Sample.Mean >= Floor - Rounding;

    public ClaimRow Apply(ClaimRow row) =>
        Reached || row.Verdict == Verdict.NeedsGpu ? row
        : row.Parts.Count > 0 ? ClaimRow.Partly(row.Claim, [.. row.Parts.Select(Apply)])
        : row with
        {
            Verdict = Verdict.Inconclusive,
            Reason = $"reference under-trained: {Reference.Name} at {Reference.Sample.ToString("P2")}, floor {Floor:P0}" + (row.Reason.Length > 0 ? $"; {row.Reason}" : ""),
        };

    public Table ToTable() => new Table("reference", "runs", "final test accuracy", "floor", "reached")
        .Add(Reference.Name, Reference.RunsText(), Reference.Sample.ToString("P2"), Floor.ToString("P0"), Reached);
}
