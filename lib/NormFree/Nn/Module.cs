using NormFree.Torch;

namespace NormFree.Nn;

/// <summary>Base of every layer and model, as torch.nn.Module: named parameters, buffers and submodules (in
/// registration order), train/eval mode, state dict, moving to a device, forward hooks.
/// Subclasses register what they own in the constructor and implement <see cref="forward"/>;
/// callers use <see cref="call"/>, which also runs the forward hooks.</summary>
public abstract class Module : IDisposable
{
    readonly List<(string Name, Parameter? Value)> parameters_ = [];
    readonly List<(string Name, Tensor? Value)> buffers_ = [];
    readonly List<(string Name, Module Value)> modules_ = [];
    readonly List<Action<Module, Tensor, Tensor>> forwardHooks = [];

    public bool training { get; private set; } = true;

    public abstract Tensor forward(Tensor input);

    /// <summary>forward, then the forward hooks (module, input, output).</summary>
    public Tensor call(Tensor input)
    {
        var output = forward(input);
        foreach (var hook in forwardHooks) hook(this, input, output);
        return output;
    }

    /// <summary>Adds a hook run after every forward; dispose the result to remove it.</summary>
    public IDisposable register_forward_hook(Action<Module, Tensor, Tensor> hook)
    {
        forwardHooks.Add(hook);
        return new Removal(() => forwardHooks.Remove(hook));
    }

    sealed class Removal(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }

    // ---- registration --------------------------------------------------------------------------------------
    protected Parameter? register_parameter(string name, Parameter? p)
    {
        CheckName(name);
        parameters_.Add((name, p));
        return p;
    }

    protected Tensor? register_buffer(string name, Tensor? t)
    {
        CheckName(name);
        t?.DetachFromDisposeScope();
        buffers_.Add((name, t));
        return t;
    }

    protected T register_module<T>(string name, T module) where T : Module
    {
        CheckName(name);
        modules_.Add((name, module));
        return module;
    }

    void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.')) throw new ArgumentException($"invalid name '{name}'");
        if (parameters_.Exists(e => e.Name == name) || buffers_.Exists(e => e.Name == name) || modules_.Exists(e => e.Name == name))
            throw new ArgumentException($"{GetType().Name} already has a member named '{name}'");
    }

    /// <summary>Replaces a registered parameter (e.g. an initializer swapping in a new tensor).</summary>
    protected void replace_parameter(string name, Parameter? p)
    {
        var i = parameters_.FindIndex(e => e.Name == name);
        if (i < 0) throw new ArgumentException($"no parameter '{name}'");
        parameters_[i].Value?.Dispose();
        parameters_[i] = (name, p);
    }

    // ---- traversal -----------------------------------------------------------------------------------------
    public IEnumerable<(string name, Module module)> named_children() => modules_.Select(e => (e.Name, e.Value));
    public IEnumerable<Module> children() => modules_.Select(e => e.Value);

    /// <summary>This module ("") and every descendant, with dotted names.</summary>
    public IEnumerable<(string name, Module module)> named_modules(string prefix = "")
    {
        yield return (prefix, this);
        foreach (var (name, m) in modules_)
            foreach (var inner in m.named_modules(Join(prefix, name))) yield return inner;
    }

    public IEnumerable<Module> modules() => named_modules().Select(e => e.module);

    public IEnumerable<(string name, Parameter parameter)> named_parameters(string prefix = "", bool recurse = true)
    {
        foreach (var (name, p) in parameters_)
            if (p is not null) yield return (Join(prefix, name), p);
        if (!recurse) yield break;
        foreach (var (name, m) in modules_)
            foreach (var inner in m.named_parameters(Join(prefix, name))) yield return inner;
    }

    public IEnumerable<Parameter> parameters(bool recurse = true) => named_parameters(recurse: recurse).Select(e => e.parameter);

    public IEnumerable<(string name, Tensor buffer)> named_buffers(string prefix = "", bool recurse = true)
    {
        foreach (var (name, b) in buffers_)
            if (b is not null) yield return (Join(prefix, name), b);
        if (!recurse) yield break;
        foreach (var (name, m) in modules_)
            foreach (var inner in m.named_buffers(Join(prefix, name))) yield return inner;
    }

    static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    // ---- modes ---------------------------------------------------------------------------------------------
    public Module train(bool mode = true)
    {
        training = mode;
        foreach (var (_, m) in modules_) m.train(mode);
        return this;
    }

    public Module eval() => train(false);

    // ---- state ---------------------------------------------------------------------------------------------

    /// <summary>Every parameter and buffer by dotted name. The tensors are the module's own (not copies):
    /// read or save them, do not dispose them.</summary>
    public Dictionary<string, Tensor> state_dict()
    {
        var d = new Dictionary<string, Tensor>();
        foreach (var (name, p) in named_parameters()) d[name] = p;
        foreach (var (name, b) in named_buffers()) d[name] = b;
        return d;
    }

    /// <summary>Copies values into the module's parameters and buffers. With <paramref name="strict"/> the key sets
    /// must match exactly; shapes must always match.</summary>
    public void load_state_dict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var own = state_dict();
        if (strict)
        {
            var missing = own.Keys.Except(state.Keys).ToList();
            var unexpected = state.Keys.Except(own.Keys).ToList();
            if (missing.Count > 0 || unexpected.Count > 0)
                throw new ArgumentException($"state dict mismatch: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}]");
        }
        using var _ = torch.no_grad();
        foreach (var (name, target) in own)
        {
            if (!state.TryGetValue(name, out var source)) continue;
            if (!source.shape.SequenceEqual(target.shape))
                throw new ArgumentException($"'{name}': shape [{string.Join(", ", source.shape)}] in the state dict, [{string.Join(", ", target.shape)}] in the module");
            target.copy_(source);
        }
    }

    /// <summary>Moves every parameter and buffer to <paramref name="device"/> (and/or converts floating ones to
    /// <paramref name="dtype"/>), keeping their identity so optimizers stay attached. An optimizer's state made
    /// before the move stays where it was: move the model first, as <see cref="NormFree.Training.Trainer"/> does.</summary>
    public Module to(Device device, DType? dtype = null)
    {
        device.EnsureAvailable();
        using var _ = torch.no_grad();
        foreach (var t in parameters().Cast<Tensor>().Concat(named_buffers().Select(e => e.buffer)))
        {
            using var moved = dtype is { } d && t.dtype.IsFloatingPoint() ? t.to(d, device) : t.to(device);
            t.set_data(moved);
        }
        return this;
    }

    public Module to(DType dtype)
    {
        var p = parameters().FirstOrDefault();
        return to(p?.device ?? Device.CPU, dtype);
    }

    /// <summary>Clears every parameter's gradient.</summary>
    public void zero_grad()
    {
        foreach (var p in parameters()) p.grad = null;
    }

    public virtual void Dispose()
    {
        foreach (var (_, p) in parameters_) p?.Dispose();
        foreach (var (_, b) in buffers_) b?.Dispose();
        foreach (var (_, m) in modules_) m.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Module tree with parameter counts, like PyTorch's repr.</summary>
    public override string ToString() => Describe(0);

    /// <summary>One-line summary of this module's own settings (e.g. "16, 32, kernel_size=3"); empty by default.</summary>
    protected virtual string extra_repr() => "";

    string Describe(int indent)
    {
        var head = $"{GetType().Name}({extra_repr()}";
        if (modules_.Count == 0) return head + ")";
        var pad = new string(' ', indent + 2);
        var lines = modules_.Select(e => $"{pad}({e.Name}): {e.Value.Describe(indent + 2)}");
        return $"{head}\n{string.Join("\n", lines)}\n{new string(' ', indent)})";
    }
}
