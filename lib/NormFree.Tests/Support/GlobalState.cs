namespace NormFree.Tests;

/// <summary>Tests that count process-wide live tensors, measure process memory, set the global seed or environment
/// variables: they run alone, after the parallel ones, so no other test moves what they measure or set.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public class GlobalState
{
    public const string Name = "Torch global state";
}
