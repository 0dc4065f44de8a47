using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Analysis;

/// <summary>Forward and backward signal at one layer's output h on one batch:
/// <list type="bullet">
/// <item><see cref="Norm"/> = ‖h‖₂ over the whole batch tensor, so ‖hˡ‖ / ‖x‖ is the forward norm ratio of
/// Arpit et al. (2019), Fig. 1 (for the batch as a whole);</item>
/// <item><see cref="ChannelMeanSquared"/>, <see cref="ChannelVariance"/>: the per-channel statistics of Brock et al.
/// (2021, §4), as <see cref="SignalStatistics.channel_moments"/> (channels on dim 1);</item>
/// <item><see cref="GradNorm"/> = ‖∂L/∂h‖₂ for the loss given to <see cref="SignalPropagation.collect"/> (NaN when no
/// loss was given or h does not depend on anything that requires a gradient; 0 when L does not depend on h).</item>
/// </list></summary>
public sealed record LayerSignal(string Name, double Norm, double ChannelMeanSquared, double ChannelVariance, double GradNorm);

/// <summary>Per-layer signal propagation at init: runs a model on one batch, records <see cref="LayerSignal"/> at
/// the output of every selected module (in forward order; a module called twice appears twice), and, given a loss,
/// backpropagates once to measure ‖∂L/∂h‖ at each of those outputs. Per residual block the same statistics plus the
/// branch variance come from <see cref="SignalStatistics.collect"/>.
/// <para>The model runs in its current train/eval mode; no parameter gradient is accumulated (gradients are taken
/// with <c>torch.grad</c> with respect to the recorded outputs only).</para></summary>
public static class SignalPropagation
{
    /// <summary>Measures the outputs of every module of type <typeparamref name="T"/> (e.g. <see cref="ReLU"/> for
    /// hˡ of a feedforward net, <see cref="ResidualBlock"/> for a ResNet's blocks).</summary>
    public static IReadOnlyList<LayerSignal> collect<T>(nn.Module<Tensor, Tensor> model, Tensor input, Func<Tensor, Tensor>? loss = null) where T : nn.Module<Tensor, Tensor> =>
        collect(model, input, m => m is T, loss);

    /// <param name="model">The network.</param>
    /// <param name="input">One batch.</param>
    /// <param name="select">Which modules' outputs to measure.</param>
    /// <param name="loss">Maps the model's output to a scalar loss L; null: forward statistics only (no graph is
    /// built).</param>
    public static IReadOnlyList<LayerSignal> collect(nn.Module<Tensor, Tensor> model, Tensor input, Func<nn.Module<Tensor, Tensor>, bool> select, Func<Tensor, Tensor>? loss = null)
    {
        var recorded = new List<(string name, Tensor output)>();
        using var scope = torch.NewDisposeScope();
        Tensor?[]? grads = null;
        using (loss is null ? torch.no_grad() : torch.enable_grad())
        {
            // Layers dispose their intermediates once consumed; an alias keeps each recorded output (and its place
            // in the autograd graph) until the end of this scope.
            var output = ForwardProbe.run(model, input, select, (name, _, h) => recorded.Add((name, h.alias())));
            if (loss is not null)
                grads = GradientsAt(loss(output), recorded.Select(r => r.output).ToList());
        }
        var results = new List<LayerSignal>(recorded.Count);
        for (var i = 0; i < recorded.Count; i++)
        {
            var (name, h) = recorded[i];
            using var _ = torch.no_grad();
            var (meanSq, variance) = SignalStatistics.channel_moments(h);
            var gradNorm = grads is null ? double.NaN : grads[i] is { } g ? g.norm().item_double() : h.requires_grad ? 0 : double.NaN;
            results.Add(new LayerSignal(name, h.norm().item_double(), meanSq, variance, gradNorm));
        }
        return results;
    }

    /// <summary>∂L/∂h for each h that is part of the graph (null for the others and for those L does not reach).</summary>
    static Tensor?[] GradientsAt(Tensor loss, IReadOnlyList<Tensor> outputs)
    {
        if (loss.numel() != 1)
            throw new ArgumentException($"the loss must be a scalar, got shape [{string.Join(", ", loss.shape)}]", nameof(loss));
        var grads = new Tensor?[outputs.Count];
        var tracked = Enumerable.Range(0, outputs.Count).Where(i => outputs[i].requires_grad).ToArray();
        if (tracked.Length == 0 || !loss.requires_grad) return grads;
        // Checked above as autograd.grad would (it has no native catch): a scalar loss in the graph, inputs that require
        // a gradient. Outputs the loss does not reach come back undefined (an invalid handle): null here.
        var computed = torch.autograd.grad([loss], tracked.Select(i => outputs[i]).ToArray(), allow_unused: true);
        for (var k = 0; k < tracked.Length; k++) grads[tracked[k]] = computed[k].IsInvalid ? null : computed[k];
        return grads;
    }
}
