namespace NormFree.Notebooks;

/// <summary>How much compute a notebook spends. <c>quick</c>: CI, the whole notebook in about a minute on 2 cores;
/// <c>standard</c>: CPU, tens of minutes, the numbers the committed outputs show; <c>paper</c>: the paper's own
/// protocol, meant for a GPU box. Notebooks read it once in their parameters cell and derive everything from it.</summary>
public sealed record Profile(string Name)
{
    /// <summary>The environment variable <c>./workbook run --profile</c> sets.</summary>
    public const string EnvironmentVariable = "NORMFREE_PROFILE";

    public static readonly Profile Quick = new("quick"), Standard = new("standard"), Paper = new("paper");

    public bool IsQuick => this == Quick;
    public bool IsStandard => this == Standard;
    public bool IsPaper => this == Paper;

    /// <summary>The profile named by <c>NORMFREE_PROFILE</c>; <c>standard</c> when unset (a reader opening a notebook
    /// interactively sees the committed numbers' settings).</summary>
    public static Profile FromEnvironment() => Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));

    public static Profile Parse(string? name) => (name ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "standard" => Standard,
        "quick" => Quick,
        "paper" => Paper,
        var other => throw new ArgumentException($"unknown profile '{other}' in {EnvironmentVariable}: expected quick, standard or paper"),
    };

    /// <summary>The value for this profile: <c>profile.Pick(quick: 1, standard: 10, paper: 200)</c>.</summary>
    public T Pick<T>(T quick, T standard, T paper) => IsQuick ? quick : IsPaper ? paper : standard;

    public override string ToString() => Name;
}
