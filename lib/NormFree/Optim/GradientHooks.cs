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
        var withGrad = parameters.Where(p => p.grad is not null).ToList();
        var grads = withGrad.Select(p => p.grad!).ToList();
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        foreach (var hook in list) hook.apply(withGrad, grads);
    }
}
