namespace NormFree.Torch;

/// <summary>Every tensor created on this thread while the scope is the innermost one is disposed with the scope,
/// so a training step frees all its temporaries deterministically:
/// <code>using (torch.NewDisposeScope()) { var loss = ...; loss.backward(); opt.step(); }</code>
/// Keep a result with <see cref="MoveToOuter"/> or <see cref="Tensor.DetachFromDisposeScope"/>.</summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] static DisposeScope? current;
    readonly HashSet<Tensor> owned = new(ReferenceEqualityComparer.Instance);
    bool disposed;

    internal static DisposeScope? Current => current;
    internal DisposeScope? Outer { get; }

    internal DisposeScope()
    {
        Outer = current;
        current = this;
    }

    public int Count => owned.Count;

    internal void Attach(Tensor t)
    {
        if (disposed) return;
        t.Scope?.owned.Remove(t);
        owned.Add(t);
        t.Scope = this;
    }

    internal void Forget(Tensor t)
    {
        owned.Remove(t);
        t.Scope = null;
    }

    /// <summary>Keeps <paramref name="t"/> alive past this scope (it joins the enclosing scope, if any).</summary>
    public Tensor MoveToOuter(Tensor t) => t.MoveToOuterDisposeScope();

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var t in owned)
        {
            t.Scope = null;
            t.Dispose();
        }
        owned.Clear();
        // Scopes nest strictly on one thread; restore the enclosing one.
        if (current == this) current = Outer;
    }
}
