
namespace NormFree.Data;

/// <summary>Small generated data sets for tests and toy runs, reproducible from a seed.</summary>
public static class Synthetic
{
    /// <summary>Gaussian class blobs: class c has a random template μ_c ~ N(0, 1) of <paramref name="example_shape"/>;
    /// an example of class c is <paramref name="separation"/>·μ_c + ε, ε ~ N(0, 1), float32. Labels are balanced
    /// (i mod classes) then shuffled. Larger separation makes the task easier; a linear model separates it well for
    /// separation ≳ 1 in a few hundred dimensions.</summary>
    public static InMemoryDataset blobs(long count, long[] example_shape, int num_classes, ulong seed, double separation = 1.0)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "need at least one example");
        if (num_classes < 1) throw new ArgumentOutOfRangeException(nameof(num_classes), num_classes, "need at least one class");
        using var generator = new Generator(seed);
        using var scope = torch.NewDisposeScope();
        var templates = torch.randn([num_classes, .. example_shape], generator: generator);            // (K, ...)
        var order = torch.randperm(count, generator: generator);
        var balanced = torch.tensor(Enumerable.Range(0, checked((int)count)).Select(i => (long)(i % num_classes)).ToArray());
        var labels = balanced.index_select(0, order);                                                  // (N)
        var noise = torch.randn([count, .. example_shape], generator: generator);                     // (N, ...)
        var inputs = templates.index_select(0, labels).mul_(separation).add_(noise);
        return new InMemoryDataset(inputs, labels, num_classes, $"blobs(seed {seed})");
    }
}
