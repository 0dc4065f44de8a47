using NormFree.Torch;

namespace NormFree.Optim;

/// <summary>Base of the optimizers, as torch.optim.Optimizer: parameter groups, per-parameter state, and a step
/// that first runs the gradient hooks (each group's <see cref="ParamGroup.hooks"/>, then the optimizer-wide
/// <see cref="gradient_hooks"/>) and then updates every parameter that has a gradient, in place, under no_grad,
/// inside a dispose scope. Subclasses implement <see cref="update"/> for one parameter.</summary>
public abstract class Optimizer : IDisposable
{
    readonly Dictionary<Tensor, Dictionary<string, Tensor>> state_ = new(ReferenceEqualityComparer.Instance);

    public IReadOnlyList<ParamGroup> param_groups { get; }

    /// <summary>Run on all groups' gradients together, after the groups' own hooks (e.g. global-norm clipping).</summary>
    public List<IGradientHook> gradient_hooks { get; } = [];

    protected Optimizer(IEnumerable<ParamGroup> groups)
    {
        param_groups = groups.ToArray();
        if (param_groups.Count == 0) throw new ArgumentException("an optimizer needs at least one parameter group", nameof(groups));
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var p in param_groups.SelectMany(g => g.@params))
        {
            if (!seen.Add(p)) throw new ArgumentException("a parameter appears in more than one group (or twice in one)");
            if (!p.dtype.IsFloatingPoint()) throw new ArgumentException($"can only optimize floating-point tensors, got {p.dtype}");
            if (!p.is_leaf) throw new ArgumentException("can only optimize leaf tensors (parameters), not results of operations");
        }
    }

    /// <summary>Every parameter, in group order: index i here is the "i" of the state dict's keys.</summary>
    public IEnumerable<Tensor> parameters() => param_groups.SelectMany(g => g.@params);

    /// <summary>The state tensors of parameter <paramref name="p"/> by name (e.g. "momentum_buffer"); empty before its
    /// first update. They belong to the optimizer.</summary>
    public IReadOnlyDictionary<string, Tensor> state(Tensor p) =>
        state_.TryGetValue(p, out var s) ? s : new Dictionary<string, Tensor>();

    /// <summary>The state tensor <paramref name="name"/> of <paramref name="p"/>, or null.</summary>
    protected Tensor? get_state(Tensor p, string name) =>
        state_.TryGetValue(p, out var s) && s.TryGetValue(name, out var t) ? t : null;

    /// <summary>Stores <paramref name="value"/> as state (the optimizer takes ownership, out of every dispose scope).</summary>
    protected void set_state(Tensor p, string name, Tensor value)
    {
        if (!state_.TryGetValue(p, out var s)) state_[p] = s = [];
        if (s.Remove(name, out var old) && !ReferenceEquals(old, value)) old.Dispose();
        s[name] = value.DetachFromDisposeScope();
    }

    /// <summary>Clears the gradients: to null (the default, as torch ≥ 2.0) or to zeros.</summary>
    public void zero_grad(bool set_to_none = true)
    {
        foreach (var p in parameters())
        {
            if (set_to_none) { p.grad = null; continue; }
            using var g = p.grad;
            g?.zero_();
        }
    }

    /// <summary>Runs the gradient hooks, then updates every parameter that has a gradient.</summary>
    public void step()
    {
        using var scope = torch.NewDisposeScope();
        using var no_grad = torch.no_grad();
        var per_group = new List<(ParamGroup group, List<Tensor> ps, List<Tensor> gs)>();
        foreach (var group in param_groups)
        {
            var ps = new List<Tensor>();
            var gs = new List<Tensor>();
            foreach (var p in group.@params)
                if (p.grad is { } g) { ps.Add(p); gs.Add(g); }
            foreach (var hook in group.hooks) hook.apply(ps, gs);
            per_group.Add((group, ps, gs));
        }
        if (gradient_hooks.Count > 0)
        {
            var all_ps = per_group.SelectMany(e => e.ps).ToList();
            var all_gs = per_group.SelectMany(e => e.gs).ToList();
            foreach (var hook in gradient_hooks) hook.apply(all_ps, all_gs);
        }
        foreach (var (group, ps, gs) in per_group)
            for (var i = 0; i < ps.Count; i++) update(group, ps[i], gs[i]);
    }

    /// <summary>Updates <paramref name="p"/> in place from its (hooked) gradient. Runs under no_grad in a dispose scope.</summary>
    protected abstract void update(ParamGroup group, Tensor p, Tensor grad);

    // ---- state dict ----------------------------------------------------------------------------------------

    static readonly string[] Hyperparameters = ["lr", "initial_lr", "momentum", "dampening", "weight_decay", "nesterov"];

    static double Get(ParamGroup g, string name) => name switch
    {
        "lr" => g.lr, "initial_lr" => g.initial_lr, "momentum" => g.momentum, "dampening" => g.dampening,
        "weight_decay" => g.weight_decay, "nesterov" => g.nesterov ? 1 : 0,
        _ => throw new ArgumentException($"unknown hyperparameter {name}"),
    };

    static void Set(ParamGroup g, string name, double v)
    {
        switch (name)
        {
            case "lr": g.lr = v; break;
            case "initial_lr": g.initial_lr = v; break;
            case "momentum": g.momentum = v; break;
            case "dampening": g.dampening = v; break;
            case "weight_decay": g.weight_decay = v; break;
            case "nesterov": g.nesterov = v != 0; break;
            default: throw new ArgumentException($"unknown hyperparameter {name}");
        }
    }

    /// <summary>The optimizer's state as named tensors (safetensors-ready), laid out as torch's state_dict with
    /// parameters numbered in group order: <c>state.{i}.{name}</c> (e.g. <c>state.3.momentum_buffer</c>),
    /// <c>param_groups.{g}.params</c> (int64 indices) and one float64 scalar per hyperparameter
    /// (<c>param_groups.{g}.lr</c>, ...; nesterov as 0/1). The tensors are copies: the caller owns them.</summary>
    public Dictionary<string, Tensor> state_dict()
    {
        var d = new Dictionary<string, Tensor>();
        var index = 0L;
        for (var gi = 0; gi < param_groups.Count; gi++)
        {
            var group = param_groups[gi];
            var indices = new long[group.@params.Count];
            for (var k = 0; k < indices.Length; k++, index++)
            {
                indices[k] = index;
                foreach (var (name, t) in state(group.@params[k])) d[$"state.{index}.{name}"] = t.detach().clone();
            }
            d[$"param_groups.{gi}.params"] = torch.tensor(indices);
            foreach (var h in Hyperparameters) d[$"param_groups.{gi}.{h}"] = torch.scalar(Get(group, h), DType.Float64);
        }
        return d;
    }

    /// <summary>Replaces the state and the groups' hyperparameters with <paramref name="state_dict"/>'s (values are
    /// copied). The groups must hold the same numbers of parameters, and every state tensor the parameter's shape.</summary>
    public void load_state_dict(IReadOnlyDictionary<string, Tensor> state_dict)
    {
        var parameters = this.parameters().ToArray();
        var used = new HashSet<string>();
        Tensor Require(string key)
        {
            if (!state_dict.TryGetValue(key, out var t)) throw new ArgumentException($"optimizer state dict has no '{key}'");
            used.Add(key);
            return t;
        }
        var index = 0L;
        for (var gi = 0; gi < param_groups.Count; gi++)
        {
            var group = param_groups[gi];
            var expected = Enumerable.Range((int)index, group.@params.Count).Select(i => (long)i).ToArray();
            var stored = Require($"param_groups.{gi}.params");
            var have = stored.dtype == DType.Int64 ? stored.data<long>() : [];
            if (!have.SequenceEqual(expected))
                throw new ArgumentException($"param_groups.{gi}.params: the state dict's group holds parameters [{string.Join(", ", have)}], " +
                    $"this optimizer's [{string.Join(", ", expected)}]");
            index += group.@params.Count;
        }
        var unexpected_groups = state_dict.Keys.Where(k => k.StartsWith("param_groups.") && !IsGroupKey(k)).ToList();
        if (unexpected_groups.Count > 0) throw new ArgumentException($"optimizer state dict has unexpected keys [{string.Join(", ", unexpected_groups)}]");

        // Validate every state tensor before changing anything.
        var incoming = new List<(Tensor p, string name, Tensor value)>();
        foreach (var (key, value) in state_dict)
        {
            if (!key.StartsWith("state.")) continue;
            var parts = key.Split('.', 3);
            if (parts.Length != 3 || !int.TryParse(parts[1], out var i) || i < 0 || i >= parameters.Length)
                throw new ArgumentException($"optimizer state dict key '{key}' does not name one of the {parameters.Length} parameters");
            var p = parameters[i];
            if (!value.shape.SequenceEqual(p.shape))
                throw new ArgumentException($"'{key}': shape [{string.Join(", ", value.shape)}] in the state dict, parameter {i} has [{string.Join(", ", p.shape)}]");
            incoming.Add((p, parts[2], value));
            used.Add(key);
        }
        foreach (var gi in Enumerable.Range(0, param_groups.Count))
            foreach (var h in Hyperparameters) Set(param_groups[gi], h, Require($"param_groups.{gi}.{h}").item());
        var unknown = state_dict.Keys.Where(k => !used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"optimizer state dict has unexpected keys [{string.Join(", ", unknown)}]");

        clear_state();
        using var no_grad = torch.no_grad();
        foreach (var (p, name, value) in incoming)
            set_state(p, name, value.to(p.dtype, p.device).detach().clone());

        bool IsGroupKey(string k)
        {
            var parts = k.Split('.');
            return parts.Length == 3 && int.TryParse(parts[1], out var g) && g >= 0 && g < param_groups.Count
                && (parts[2] == "params" || Hyperparameters.Contains(parts[2]));
        }
    }

    void clear_state()
    {
        foreach (var s in state_.Values)
            foreach (var t in s.Values) t.Dispose();
        state_.Clear();
    }

    public void Dispose()
    {
        clear_state();
        GC.SuppressFinalize(this);
    }
}
