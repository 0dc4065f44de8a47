namespace NormFree.Torch;

/// <summary>Every tensor created on this thread while the scope is the innermost one is disposed with the scope,
/// so a training step frees all its temporaries deterministically:
/// <code>using (torch.NewDisposeScope()) { var loss = ...; loss.backward(); opt.step(); }</code>
/// Keep a result with <see cref="MoveToOuter"/> or <see cref="Tensor.DetachFromDisposeScope"/>.</summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] static DisposeScope? current;
    /// <summary>The list of the last disposed scope on this thread, reused: a step opens a scope per iteration.</summary>
    [ThreadStatic] static List<Tensor>? spare;

    // Attach is on every operator call's path, so it is a list append; a tensor that leaves the scope keeps its
    // entry but no longer points back here (t.Scope), and Dispose skips it.
    List<Tensor> owned;
    bool disposed;

    internal static DisposeScope? Current => current;
    internal DisposeScope? Outer { get; }

    internal DisposeScope()
    {
        owned = spare ?? new List<Tensor>(32);
        spare = null;
        Outer = current;
        current = this;
    }

    /// <summary>How many tensors the scope will dispose.</summary>
    public int Count => disposed ? 0 : owned.Where(t => t.Scope == this).Distinct(ReferenceEqualityComparer.Instance).Count();

    /// <summary>Takes ownership of <paramref name="t"/>; false when the scope is already disposed.</summary>
    internal bool Attach(Tensor t)
    {
        if (disposed) return false;
        t.Scope = this;
        owned.Add(t);
        return true;
    }

    internal void Forget(Tensor t) => t.Scope = null;

    /// <summary>Keeps <paramref name="t"/> alive past this scope (it joins the enclosing scope, if any).</summary>
    public Tensor MoveToOuter(Tensor t) => t.MoveToOuterDisposeScope();

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var t in owned)
        {
            if (t.Scope != this) continue;
            t.Scope = null;
            t.Dispose();
        }
        owned.Clear();
        spare = owned;
        owned = null!;
        // Scopes nest strictly on one thread; restore the enclosing one.
        if (current == this) current = Outer;
    }
}
