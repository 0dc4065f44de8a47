using NormFree.Optim;

namespace NormFree.Analysis;

/// <summary>Records, at every optimizer step, each named parameter's gradient norm ‖∂L/∂p‖ and its norm ‖p‖ (before
/// the update), to see where a run's trouble starts (which layer, which step). A gradient hook that changes nothing:
/// run it first among a trainer's hooks to see the raw gradients, or last to see what the optimizer gets.
/// <code>
/// var recorder = new GradientNormRecorder(model);   // once the model is on its device
/// new Trainer(model, train, test, config, gradient_hooks: [recorder]).fit();
/// recorder.GradNorms[step][recorder.IndexOf("head.fc.weight")]
/// </code></summary>
public sealed class GradientNormRecorder : IGradientHook
{
    readonly Dictionary<Parameter, int> index = new(ReferenceEqualityComparer.Instance);

    /// <summary>The recorded parameters' names, in <see cref="nn.Module.named_parameters"/> order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>One row per step, one column per name: ‖∂L/∂p‖ (0 where p had no gradient).</summary>
    public List<double[]> GradNorms { get; } = [];

    /// <summary>One row per step, one column per name: ‖p‖ at that step, before the update.</summary>
    public List<double[]> WeightNorms { get; } = [];

    /// <summary>Records every parameter of <paramref name="model"/> (build it after the model is on its device:
    /// moving a module replaces its parameters).</summary>
    public GradientNormRecorder(nn.Module model)
    {
        var names = new List<string>();
        foreach (var (name, p) in model.named_parameters())
        {
            index[p] = names.Count;
            names.Add(name);
        }
        Names = names;
    }

    public int IndexOf(string name)
    {
        var i = Names.ToList().IndexOf(name);
        return i >= 0 ? i : throw new ArgumentException($"no recorded parameter named '{name}'", nameof(name));
    }

    public void apply(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> grads)
    {
        var g = new double[Names.Count];
        var w = new double[Names.Count];
        for (var k = 0; k < parameters.Count; k++)
        {
            if (!index.TryGetValue(parameters[k], out var i)) continue;
            using var gn = grads[k].norm();
            g[i] = gn.ToDouble();
        }
        foreach (var (p, i) in index)
        {
            using var wn = p.detach().norm();
            w[i] = wn.ToDouble();
        }
        GradNorms.Add(g);
        WeightNorms.Add(w);
    }
}
