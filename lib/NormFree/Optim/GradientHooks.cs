namespace NormFree.Optim;

/// <summary>Runs <see cref="IGradientHook"/>s between <c>backward()</c> and <c>optimizer.step()</c>: TorchSharp has no
/// tensor or optimizer hooks, so gradient transforms (CZMG, LUMA, AGC, clipping) edit <c>.grad</c> in place here,
/// under no_grad, for the parameters that have a gradient.</summary>
public static class GradientHooks
{
    /// <summary>Applies each hook in order to (parameters with a gradient, their gradients).</summary>
    public static void apply(IEnumerable<Parameter> parameters, IEnumerable<IGradientHook> hooks)
    {
        var list = hooks as IReadOnlyCollection<IGradientHook> ?? hooks.ToList();
        if (list.Count == 0) return;
        // Each read of .grad makes a new handle: read them inside the scope so they are freed with it.
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var withGrad = new List<Parameter>();
        var grads = new List<Tensor>();
        foreach (var p in parameters)
            if (p.grad is { } g)
            {
                withGrad.Add(p);
                grads.Add(g);
            }
        foreach (var hook in list) hook.apply(withGrad, grads);
    }
}
