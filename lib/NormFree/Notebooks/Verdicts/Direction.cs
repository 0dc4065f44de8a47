namespace NormFree.Notebooks;

/// <summary>The direction a paper claims, fixed before any run: the arm's mean (or rate) is higher or lower than the
/// reference's; for an ordering, ours rises (<see cref="Higher"/>, ρ &gt; 0) or falls with the paper's numbers.</summary>
public enum Direction { Higher, Lower }
