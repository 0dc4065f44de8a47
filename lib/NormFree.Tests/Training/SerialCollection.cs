namespace NormFree.Tests.Training;

/// <summary>Tests that replay the global generator (dropout, torch.randn) or count live tensors: they run alone, after
/// the parallel tests, so no other test draws from the generator or allocates tensors meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public class SerialTrainingCollection
{
    public const string Name = "Training (serial)";
}
