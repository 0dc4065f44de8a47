namespace NormFree.Torch;

/// <summary>A seeded CPU random-number generator, passed to random ops so an experiment's draws do not
/// depend on anything else that consumed the global generator.</summary>
public sealed class Generator : IDisposable
{
    IntPtr handle;

    public Generator(ulong seed)
    {
        Native.EnsureLoaded();
        handle = TorchException.Check(Native.nf_generator_new(seed));
    }

    /// <summary>The generator's state (a uint8 tensor), e.g. for a checkpoint; as torch.Generator.get_state.</summary>
    public Tensor get_state() => new(Native.nf_generator_get_state(Handle));

    /// <summary>Restores a state from <see cref="get_state"/>: the following draws repeat those made after it.</summary>
    public void set_state(Tensor state) => TorchException.Check(Native.nf_generator_set_state(Handle, state.Handle));

    internal IntPtr Handle => handle != IntPtr.Zero ? handle : throw new ObjectDisposedException(nameof(Generator));

    public void Dispose()
    {
        var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (h != IntPtr.Zero) Native.nf_generator_free(h);
        GC.SuppressFinalize(this);
    }

    ~Generator() => Dispose();
}
