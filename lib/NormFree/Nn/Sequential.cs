using NormFree.Torch;

namespace NormFree.Nn;

/// <summary>Modules applied in order, as torch.nn.Sequential; children are named "0", "1", … (or as given).
/// Intermediate outputs are disposed as soon as the next module has consumed them (autograd keeps what backward
/// needs), so a forward hook that wants to keep an intermediate tensor must keep <c>output.alias()</c>.
/// <para>Shapes: whatever the chain maps; an empty Sequential is the identity.</para></summary>
public sealed class Sequential : Module
{
    readonly List<Module> layers = [];

    /// <summary>An empty Sequential; add modules with <see cref="append(Module)"/>.</summary>
    public Sequential() { }

    public Sequential(params Module[] modules)
    {
        foreach (var m in modules) append(m);
    }

    public Sequential(params (string name, Module module)[] modules)
    {
        foreach (var (name, m) in modules) append(name, m);
    }

    public int Count => layers.Count;
    public Module this[int index] => layers[index];

    /// <summary>Adds <paramref name="module"/> at the end, named by its position.</summary>
    public Sequential append(Module module) => append(layers.Count.ToString(), module);

    public Sequential append(string name, Module module)
    {
        register_module(name, module);
        layers.Add(module);
        return this;
    }

    public override Tensor forward(Tensor input) => chain(input, layers);

    /// <summary>Applies <paramref name="layers"/> in order, disposing each intermediate as soon as the next layer has
    /// read it (a layer may return its input itself; that one is kept). The result is a new handle.</summary>
    public static Tensor chain(Tensor input, IReadOnlyList<Module> layers)
    {
        var x = input.alias();
        for (var i = 0; i < layers.Count; i++)
        {
            var y = layers[i].call(x);
            if (!ReferenceEquals(x, y)) x.Dispose();
            x = y;
        }
        return x;
    }
}
