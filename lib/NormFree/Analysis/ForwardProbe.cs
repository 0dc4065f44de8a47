using NormFree.Nn;

namespace NormFree.Analysis;

/// <summary>Runs a model once with a forward hook on every selected submodule, so an analysis sees each selected
/// output (in forward order, with the module's dotted name) without the model knowing about it. The hooks are
/// removed afterwards, also when the forward pass throws.</summary>
public static class ForwardProbe
{
    /// <summary>model(<paramref name="input"/>) in the current grad mode and train/eval mode, calling
    /// <paramref name="observe"/>(name, module, output) for every call of a module that <paramref name="select"/> picks.
    /// The output passed to <paramref name="observe"/> is the layer's own temporary: keep <c>output.alias()</c> to
    /// use it later. The input is moved to the <see cref="Module.device"/> of the model, so a probe batch kept on the CPU
    /// measures a model trained on a GPU. Returns the model's output (the caller disposes it).</summary>
    public static Tensor run(nn.Module<Tensor, Tensor> model, Tensor input, Func<nn.Module<Tensor, Tensor>, bool> select, Action<string, nn.Module<Tensor, Tensor>, Tensor> observe)
    {
        var names = model.named_modules().Where(e => select(e.module)).ToDictionary(e => e.module, e => e.name);
        var hooks = names.Keys.Select(m => m.register_forward_hook((layer, _, output) => observe(names[layer], layer, output))).ToList();
        try
        {
            using var x = input.to(model.device ?? input.device);
            return model.call(x);
        }
        finally
        {
            foreach (var hook in hooks) hook.Dispose();
        }
    }
}
