using NormFree.Nn;

namespace NormFree.Training;

/// <summary>Loading a state dict into a model with every mismatch named. TorchSharp's <c>load_state_dict</c> only says
/// "not identical" for other names, and copies with broadcasting, so a (6) tensor fills a (3, 6) weight without a
/// word; PyTorch refuses both with a list of the differences, as these do.</summary>
internal static class StateDicts
{
    /// <summary>Throws an <see cref="ArgumentException"/> starting with <paramref name="source_name"/> unless
    /// <paramref name="source"/> has exactly the names of <paramref name="model"/>'s state dict with the same shapes.</summary>
    public static void check(nn.Module<Tensor, Tensor> model, IReadOnlyDictionary<string, Tensor> source, string source_name)
    {
        using var scope = torch.NewDisposeScope();
        var target = model.state_dict();
        var problems = new List<string>();
        var missing = target.Keys.Where(k => !source.ContainsKey(k)).ToList();
        var unexpected = source.Keys.Where(k => !target.ContainsKey(k)).ToList();
        if (missing.Count > 0) problems.Add($"missing {string.Join(", ", missing)}");
        if (unexpected.Count > 0) problems.Add($"unexpected {string.Join(", ", unexpected)}");
        foreach (var (name, t) in target)
            if (source.TryGetValue(name, out var s) && !s.shape.SequenceEqual(t.shape))
                problems.Add($"'{name}' has shape {Shapes.Format(s.shape)} there and {Shapes.Format(t.shape)} in the model");
        if (problems.Count > 0)
            throw new ArgumentException($"{source_name} does not fit this model: {string.Join("; ", problems)}");
    }

    /// <summary>Copies every tensor of <paramref name="source"/> into the model's tensor of the same name (onto its
    /// device and dtype), without recording gradients. Call <see cref="check"/> first.</summary>
    public static void copy_into(nn.Module<Tensor, Tensor> model, IReadOnlyDictionary<string, Tensor> source)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        foreach (var (name, t) in model.state_dict()) t.copy_(source[name]);
    }
}
