namespace NormFree.Notebooks;

/// <summary>How many of an arm's runs had an event (failed, diverged, a dead network), for a rate claim.</summary>
public sealed record Tally(string Name, int Events, int Runs)
{
    public int Runs { get; } = Runs >= 0 ? Runs : throw new ArgumentException($"{Name}: runs ≥ 0, got {Runs}", nameof(Runs));
    public int Events { get; } = Events >= 0 && Events <= Runs ? Events : throw new ArgumentException($"{Name}: events must lie in 0…{Runs}, got {Events}", nameof(Events));

    public double Rate => Runs == 0 ? double.NaN : (double)Events / Runs;
}
