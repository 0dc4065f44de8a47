using NormFree.Nn;

namespace NormFree.Analysis;

/// <summary>Dead units: a unit (a feature of a (B, C) activation) or a channel (of a (B, C, H, W) activation) is
/// dead on a batch when its post-ReLU output is exactly 0 for every sample (and every position) of the batch, so
/// no gradient reaches the weights in front of it from that batch (Lu et al. 2020, "Dying ReLU").
/// <code>  dead_fraction(h) = #{c : h[:, c, ...] = 0 everywhere} / C  </code></summary>
public static class DeadUnits
{
    /// <summary>The per-unit mask (C) of <paramref name="activation"/> (B, C, ...): true where the unit is zero on
    /// the whole batch.</summary>
    public static Tensor dead_mask(Tensor activation)
    {
        if (activation.dim() < 2)
            throw new ArgumentException($"dead units need an activation (B, C, ...), got shape [{string.Join(", ", activation.shape)}]", nameof(activation));
        using var _ = torch.no_grad();
        using var unitsFirst = activation.transpose(0, 1); // (C, B, H, W)
        using var perUnit = unitsFirst.reshape([activation.size(1), -1]); // (C, B·H·W)
        using var magnitude = perUnit.abs();
        var (largest, index) = magnitude.max(1); // (C)
        using (largest)
        using (index)
            return largest.eq(0);
    }

    /// <summary>Fraction of the C units of <paramref name="activation"/> (B, C, ...) that are dead on this batch.</summary>
    public static double fraction(Tensor activation)
    {
        using var mask = dead_mask(activation);
        using var asFloat = mask.to(ScalarType.Float64);
        using var share = asFloat.mean();
        return share.item_double();
    }

    /// <summary>The dead fraction at the output of every module of type <typeparamref name="T"/> (default use:
    /// <see cref="ReLU"/>) of <paramref name="model"/> on one batch (no gradients, current train/eval mode), in
    /// forward order.</summary>
    public static IReadOnlyList<(string Name, double Fraction)> per_layer<T>(nn.Module<Tensor, Tensor> model, Tensor input) where T : nn.Module<Tensor, Tensor>
    {
        var results = new List<(string, double)>();
        using var _ = torch.no_grad();
        using var output = ForwardProbe.run(model, input, m => m is T, (name, _, h) => results.Add((name, fraction(h))));
        return results;
    }

    /// <summary>Fraction of the B samples of <paramref name="activation"/> (B, …) on which the whole layer is dead:
    /// every unit ≤ 0 (for a ReLU output, the whole feature map is 0), so nothing passes forward from that sample.
    /// Farkas layers (Pooladian et al. 2019, Theorem 3.2) make this 0 by construction.</summary>
    public static double dead_sample_fraction(Tensor activation)
    {
        if (activation.dim() < 2)
            throw new ArgumentException($"dead samples need an activation (B, …), got shape [{string.Join(", ", activation.shape)}]", nameof(activation));
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var active = activation.reshape([activation.size(0), -1]).max(1).values.gt(0); // (B): some unit > 0
        return 1 - active.to(ScalarType.Float64).mean().item_double();
    }

    /// <summary>The <see cref="dead_sample_fraction"/> at the output of every module <paramref name="select"/> picks
    /// (e.g. <c>m =&gt; m is ReLU</c>), in forward order, on one batch (no gradients, current train/eval mode).
    /// A fraction of 1 is a layer dead on every input: the net is born dead (Lu et al. 2020) if that holds at init.</summary>
    public static IReadOnlyList<(string Name, double Fraction)> dead_sample_fractions(nn.Module<Tensor, Tensor> model, Tensor input, Func<nn.Module<Tensor, Tensor>, bool> select)
    {
        var results = new List<(string, double)>();
        using var _ = torch.no_grad();
        using var output = ForwardProbe.run(model, input, select, (name, _, h) => results.Add((name, dead_sample_fraction(h))));
        return results;
    }

    /// <summary>Whether <paramref name="output"/> (B, …) is the same for every sample: the largest spread
    /// max_b − min_b of any output coordinate is at most <paramref name="tolerance"/> × (1 + max |output|). A net that
    /// is "born dead" (Lu et al. 2020, Def. 1: constant on the data at initialisation, because some layer is dead on
    /// every input) outputs exactly its last bias for every input; the relative tolerance only absorbs rounding.</summary>
    public static bool is_constant(Tensor output, double tolerance = 1e-6)
    {
        if (output.dim() < 1 || output.size(0) < 2)
            throw new ArgumentException($"need a batch of at least two samples (B, …), got shape [{string.Join(", ", output.shape)}]", nameof(output));
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var flat = output.to(ScalarType.Float64).reshape([output.size(0), -1]); // (B, D)
        var spread = (flat.max(0).values - flat.min(0).values).max().item_double();
        var scale = flat.abs().max().item_double();
        return spread <= tolerance * (1 + scale);
    }

    /// <summary>An input optimised to kill a layer: gradient descent on x against the layer's largest pre-activation
    /// (units along dim 1), through the soft maximum logsumexp(κz)/κ, κ = 20, with per-sample steps normalised so no
    /// coordinate moves more than the step size, which shrinks geometrically from 10 to 0.001 over
    /// <paramref name="steps"/>. For a plain layer this drives every unit below 0; for a Farkas layer it stalls at a
    /// unit ≥ 0 (Pooladian et al. 2019, Theorem 3.2). <paramref name="observe"/>, if given, sees the step and that
    /// step's pre-activation (valid during the call only).
    /// <para>Shapes: start (B, …) → (B, …), a new tensor the caller owns.</para></summary>
    public static Tensor adversarial_input(Func<Tensor, Tensor> preactivation, Tensor start, int steps = 200, Action<int, Tensor>? observe = null)
    {
        const double sharpness = 20; // κ: logsumexp(κz)/κ is within ln(units)/κ of max z
        const double first = 10, last = 1e-3; // step sizes: large moves first, then settle
        if (steps < 1) throw new ArgumentException($"need at least one step, got {steps}", nameof(steps));
        var x = start.detach().clone();
        for (var i = 0; i < steps; i++)
        {
            using var scope = torch.NewDisposeScope();
            x.requires_grad = true;
            var z = preactivation(x);
            observe?.Invoke(i, z);
            var loss = (z * sharpness).logsumexp(1).sum() / sharpness;
            // autograd.grad aborts the process on a libtorch error (no native catch): check what it would refuse.
            if (!loss.requires_grad)
                throw new ArgumentException("the pre-activation does not depend on its input (no gradient reaches x)", nameof(preactivation));
            var g = torch.autograd.grad([loss], [x])[0];
            var (largest, _) = g.abs().flatten(1).max(1); // (B)
            var shape = new long[g.dim()];
            Array.Fill(shape, 1L);
            shape[0] = -1;
            var step = g / (largest.view(shape) + 1e-12); // per sample, at most 1 in any coordinate
            using (torch.no_grad())
            {
                var lr = first * Math.Pow(last / first, (double)i / steps);
                var next = (x - step * lr).detach();
                next.MoveToOuterDisposeScope();
                x.Dispose();
                x = next;
            }
        }
        return x;
    }
}
