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
    /// use it later. The input is moved to the device of the model's first parameter, so a probe batch kept on the CPU
    /// measures a model trained on a GPU. Returns the model's output (the caller disposes it).
    /// <para>Only modules called through <c>call()</c> run their hooks (TorchSharp's hooks live there, not in
    /// <c>forward()</c>), and only <c>nn.Module&lt;Tensor, Tensor&gt;</c> submodules can be selected.</para></summary>
    public static Tensor run(nn.Module<Tensor, Tensor> model, Tensor input, Func<nn.Module<Tensor, Tensor>, bool> select, Action<string, nn.Module<Tensor, Tensor>, Tensor> observe)
    {
        var names = new Dictionary<nn.Module<Tensor, Tensor>, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, module) in model.named_modules())
            if (module is nn.Module<Tensor, Tensor> m && select(m)) names.TryAdd(m, name);
        var removers = names.Keys.Select(m => m.register_forward_hook((layer, _, output) =>
        {
            observe(names[layer], layer, output);
            return output;
        })).ToList();
        try
        {
            using var x = input.to(model.parameters().FirstOrDefault()?.device ?? input.device);
            return model.call(x);
        }
        finally
        {
            foreach (var remover in removers) remover.remove();
        }
    }
}
