
namespace NormFree.Optim;

/// <summary>A transformation of gradients run between backward and the optimizer's update (gradient clipping,
/// adaptive gradient clipping, CZMG, ...). It edits the gradients in place; it runs under no_grad inside the step's
/// dispose scope, so temporaries it creates are freed with the step.
/// <para><paramref name="parameters"/>[i] owns <paramref name="grads"/>[i]; parameters without a gradient are left out.</para></summary>
public interface IGradientHook
{
    void apply(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> grads);
}

/// <summary>A hook applied to each (parameter, gradient) pair on its own, from a delegate:
/// <c>new PerParameterHook((p, g) => g.mul_(0.5))</c>.</summary>
public sealed class PerParameterHook(Action<Parameter, Tensor> apply_one) : IGradientHook
{
    public void apply(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> grads)
    {
        for (var i = 0; i < grads.Count; i++) apply_one(parameters[i], grads[i]);
    }
}
