namespace NormFree.Analysis;

/// <summary>Per-sample forward and backward norms at one layer's output h (N, ...): <see cref="Norms"/>[i] = ‖h_i‖₂,
/// <see cref="GradNorms"/>[i] = ‖∂L/∂h_i‖₂ (empty when no loss was given). Divided by the input's per-sample norms
/// they give the ratios of Arpit et al. (2019), Fig. 1, as its official notebook computes them: ‖hˡ_i‖/‖x_i‖ for
/// each sample, then the mean ± std over the samples (where <see cref="LayerSignal.Norm"/> is one norm of the
/// whole batch).</summary>
public sealed record SampleNorms(string Name, double[] Norms, double[] GradNorms);

/// <summary>Like <see cref="SignalPropagation"/>, one value per sample instead of one per batch. The gradients are
/// those of a loss that sums over the samples (e.g. L = Σᵢ ⟨δᵢ, f(xᵢ)⟩), so ∂L/∂hᵢ is sample i's own backward
/// signal as long as the model does not mix samples (no batch norm).</summary>
public static class PerSampleSignal
{
    /// <param name="model">The network.</param>
    /// <param name="input">One batch (N, ...).</param>
    /// <param name="select">Which modules' outputs to measure.</param>
    /// <param name="loss">Maps the model's output to a scalar loss; null: forward norms only.</param>
    public static IReadOnlyList<SampleNorms> collect(nn.Module<Tensor, Tensor> model, Tensor input, Func<nn.Module<Tensor, Tensor>, bool> select, Func<Tensor, Tensor>? loss = null)
    {
        var recorded = new List<(string Name, Tensor Output)>();
        using var scope = torch.NewDisposeScope();
        Tensor[] grads = [];
        using (loss is null ? torch.no_grad() : torch.enable_grad())
        {
            var output = ForwardProbe.run(model, input, select, (name, _, h) => recorded.Add((name, h.alias())));
            if (loss is not null)
            {
                using var l = loss(output);
                if (l.numel() != 1) throw new ArgumentException($"the loss must be a scalar, got shape [{string.Join(", ", l.shape)}]", nameof(loss));
                if (recorded.FirstOrDefault(r => !r.Output.requires_grad) is { Name: { } constant })
                    throw new ArgumentException($"'{constant}' does not depend on anything that requires a gradient", nameof(select));
                grads = [.. torch.autograd.grad([l], recorded.Select(r => r.Output).ToArray())];
            }
        }
        using var _ = torch.no_grad();
        return [.. recorded.Select((r, i) => new SampleNorms(r.Name, RowNorms(r.Output), grads.Length > 0 ? RowNorms(grads[i]) : []))];
    }

    /// <summary>‖t_i‖₂ of every sample of a batch t (N, ...).</summary>
    public static double[] RowNorms(Tensor t)
    {
        using var flat = t.flatten(1);                                       // (N, features)
        using var norms = torch.linalg.vector_norm(flat, 2, [1L]).to(float64);
        return norms.data<double>().ToArray();
    }
}
