
namespace NormFree.Models;

/// <summary>Signal statistics at one residual block's output (Brock et al. 2021, "Signal Propagation Plots", §4):
/// the average over channels of the squared channel mean, of the channel variance, and of the residual branch's
/// channel variance (statistics per channel over (B, H, W), biased variance).</summary>
public sealed record BlockSignal(string Name, int Stage, int Index, double ChannelMeanSquared, double ChannelVariance, double BranchVariance);

/// <summary>Collects <see cref="BlockSignal"/> for every <see cref="ResidualBlock"/> of a model on one batch.</summary>
public static class SignalStatistics
{
    /// <summary>Runs <paramref name="model"/> on <paramref name="input"/> without gradients (in the model's current
    /// train/eval mode) and measures every residual block; the input is moved to the model's device first. Blocks are
    /// listed in forward order.</summary>
    public static IReadOnlyList<BlockSignal> collect(ResNet model, Tensor input)
    {
        var names = model.named_modules().Where(e => e.module is ResidualBlock).ToDictionary(e => (ResidualBlock)e.module, e => e.name);
        var position = new Dictionary<ResidualBlock, (int stage, int index)>();
        for (var k = 0; k < model.stages.Count; k++)
        {
            var index = 0; // counts blocks only: a stage may open with a transition module
            for (var i = 0; i < model.stages[k].Count; i++)
                if (model.stages[k][i] is ResidualBlock rb) position[rb] = (k, index++);
        }
        var branchVariance = new Dictionary<ResidualBlock, double>();
        var results = new List<BlockSignal>();
        var hooks = new List<Action>(); // removers
        foreach (var block in names.Keys)
        {
            hooks.Add(block.register_branch_hook((b, branch) => branchVariance[b] = channel_moments(branch).variance).Dispose);
            hooks.Add(block.register_forward_hook((m, _, output) =>
            {
                var b = (ResidualBlock)m;
                var (meanSq, variance) = channel_moments(output);
                var (stage, index) = position.GetValueOrDefault(b, (-1, -1));
                results.Add(new BlockSignal(names[b], stage, index, meanSq, variance, branchVariance.GetValueOrDefault(b, double.NaN)));
                return output; // unchanged
            }).remove);
        }
        try
        {
            using var _ = torch.no_grad();
            using var x = input.to(model.parameters().FirstOrDefault()?.device ?? input.device);
            using var output = model.call(x);
        }
        finally
        {
            foreach (var remove in hooks) remove();
        }
        return results;
    }

    /// <summary>(mean over channels of (channel mean)², mean over channels of channel variance) of x with channels on
    /// dim 1: (B, C, H, W) or (B, C), statistics per channel over every other dim, biased variance.</summary>
    public static (double meanSquared, double variance) channel_moments(Tensor x)
    {
        if (x.dim() < 2)
            throw new ArgumentException($"channel moments need (B, C, ...), got shape [{string.Join(", ", x.shape)}]", nameof(x));
        var dims = Enumerable.Range(0, (int)x.dim()).Where(d => d != 1).Select(d => (long)d).ToArray();
        using var mean = x.mean(dims); // (C)
        using var meanSq = mean * mean;
        using var avgMeanSq = meanSq.mean();
        using var variance = x.var(dims, unbiased: false); // (C)
        using var avgVariance = variance.mean();
        return (avgMeanSq.ToDouble(), avgVariance.ToDouble());
    }
}
