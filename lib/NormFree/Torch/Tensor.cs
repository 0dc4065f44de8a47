using System.Runtime.InteropServices;

namespace NormFree.Torch;

/// <summary>A handle to a libtorch tensor. Dispose it (or create it inside a <see cref="DisposeScope"/>) to free
/// the native memory deterministically; for a tensor outside every scope a finalizer is the backstop.</summary>
public partial class Tensor : IDisposable
{
    static long live;
    IntPtr handle;
    internal DisposeScope? Scope;
    /// <summary>Frees the handle if this tensor is collected undisposed; only tensors outside every dispose scope
    /// have one (a scope keeps its tensors reachable until it disposes them, so a finalizer there could never run,
    /// and allocating finalizable objects costs on every operator call).</summary>
    Backstop? backstop;

    /// <summary>Managed tensors alive right now: a leak test compares it before and after.</summary>
    public static long LiveCount => Interlocked.Read(ref live);

    internal Tensor(IntPtr nativeHandle)
    {
        handle = TorchException.Check(nativeHandle);
        Interlocked.Increment(ref live);
        if (DisposeScope.Current?.Attach(this) != true) EnsureBackstop();
    }

    internal IntPtr Handle => handle != IntPtr.Zero ? handle : throw new ObjectDisposedException(nameof(Tensor), "the tensor was disposed");

    public bool IsDisposed => handle == IntPtr.Zero;

    public void Dispose() => Release();

    void Release()
    {
        var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (h == IntPtr.Zero) return;
        backstop?.Disarm();
        Native.nf_tensor_free(h);
        Interlocked.Decrement(ref live);
    }

    /// <summary>Called when the tensor leaves every dispose scope: from now on only the user or the GC frees it.</summary>
    void EnsureBackstop()
    {
        if (backstop is null && handle != IntPtr.Zero) backstop = new Backstop(handle);
    }

    sealed class Backstop(IntPtr handle)
    {
        IntPtr handle = handle;

        public void Disarm()
        {
            handle = IntPtr.Zero;
            GC.SuppressFinalize(this);
        }

        ~Backstop()
        {
            var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
            if (h == IntPtr.Zero) return;
            Native.nf_tensor_free(h);
            Interlocked.Decrement(ref live);
        }
    }

    // ---- metadata ------------------------------------------------------------------------------------------

    public unsafe long[] shape
    {
        get
        {
            var n = Native.nf_tensor_ndim(Handle);
            TorchException.Check(n);
            var s = new long[n];
            fixed (long* p = s) TorchException.Check(Native.nf_tensor_shape(handle, p));
            return s;
        }
    }

    public long size(int dim)
    {
        var s = shape;
        var d = dim < 0 ? dim + s.Length : dim;
        if (d < 0 || d >= s.Length) throw new ArgumentOutOfRangeException(nameof(dim), $"dim {dim} out of range for a tensor of rank {s.Length}");
        return s[d];
    }

    public int dim() { var n = Native.nf_tensor_ndim(Handle); TorchException.Check(n); return n; }

    public long numel() { long n = 1; foreach (var d in shape) n *= d; return n; }

    public DType dtype { get { var d = Native.nf_tensor_dtype(Handle); TorchException.Check(d); return (DType)d; } }

    public unsafe Device device
    {
        get
        {
            int index;
            var t = Native.nf_tensor_device(Handle, &index);
            TorchException.Check(t);
            return new Device((DeviceType)t, index);
        }
    }

    // ---- data in and out -----------------------------------------------------------------------------------

    /// <summary>Copies <paramref name="data"/> into a new tensor of the given shape on <paramref name="device"/>.</summary>
    public static unsafe Tensor From<T>(ReadOnlySpan<T> data, long[] shape, Device? device = null) where T : unmanaged
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        if (n != data.Length) throw new ArgumentException($"{data.Length} values do not fill shape [{string.Join(", ", shape)}] ({n} elements)");
        var dev = device ?? Device.CPU;
        dev.EnsureAvailable();
        Native.EnsureLoaded();
        fixed (T* p = data)
        fixed (long* s = shape)
            return new Tensor(Native.nf_tensor_from_data(p, (int)DTypeExtensions.Of<T>(), s, shape.Length, (int)dev.Type, dev.Index));
    }

    /// <summary>Copies the elements (row-major) into a new array; the tensor's dtype must hold <typeparamref name="T"/>.</summary>
    public unsafe T[] data<T>() where T : unmanaged
    {
        var want = DTypeExtensions.Of<T>();
        var have = dtype;
        if (want != have) throw new InvalidOperationException($"tensor has dtype {have}, asked for {typeof(T).Name} ({want}); convert with .to({want}) first");
        var result = new T[numel()];
        fixed (T* p = result) TorchException.Check(Native.nf_tensor_copy_to(Handle, p, (long)result.Length * sizeof(T)));
        return result;
    }

    /// <summary>The value of a one-element tensor as a double.</summary>
    public double item()
    {
        if (numel() != 1) throw new InvalidOperationException($"item() needs a one-element tensor, this one has shape [{string.Join(", ", shape)}]");
        using var d = to(DType.Float64);
        return d.data<double>()[0];
    }

    /// <summary>The value of a one-element integer or bool tensor as a long.</summary>
    public long itemLong()
    {
        if (numel() != 1) throw new InvalidOperationException($"item() needs a one-element tensor, this one has shape [{string.Join(", ", shape)}]");
        using var d = to(DType.Int64);
        return d.data<long>()[0];
    }

    /// <summary>A second handle to the same tensor (shared storage and autograd identity).</summary>
    public Tensor alias() => new(Native.nf_tensor_share(Handle));

    /// <summary>Replaces this tensor's data with <paramref name="source"/>'s (shape and dtype may change), keeping
    /// its identity — how a state dict is loaded into existing parameters.</summary>
    public void set_data(Tensor source) => TorchException.Check(Native.nf_tensor_set_data(Handle, source.Handle));

    // ---- autograd ------------------------------------------------------------------------------------------

    public bool requires_grad
    {
        get { var r = Native.nf_tensor_requires_grad(Handle); TorchException.Check(r); return r == 1; }
        set => TorchException.Check(Native.nf_tensor_set_requires_grad(Handle, value ? 1 : 0));
    }

    public Tensor requires_grad_(bool value = true) { requires_grad = value; return this; }

    public bool is_leaf { get { var r = Native.nf_tensor_is_leaf(Handle); TorchException.Check(r); return r == 1; } }

    /// <summary>The accumulated gradient (a new handle each read; dispose it), or null.</summary>
    public unsafe Tensor? grad
    {
        get
        {
            IntPtr g;
            var r = Native.nf_tensor_grad(Handle, &g);
            TorchException.Check(r);
            return r == 1 ? new Tensor(g) : null;
        }
        set => TorchException.Check(Native.nf_tensor_set_grad(Handle, value?.Handle ?? IntPtr.Zero));
    }

    /// <summary>Backpropagates from this tensor (a scalar unless <paramref name="gradient"/> is given).</summary>
    public void backward(Tensor? gradient = null, bool? retain_graph = null, bool create_graph = false)
    {
        var r = Native.nf_backward(Handle, gradient?.Handle ?? IntPtr.Zero, retain_graph is null ? -1 : retain_graph.Value ? 1 : 0, create_graph ? 1 : 0);
        GC.KeepAlive(gradient);
        TorchException.Check(r);
    }

    // ---- dispose scopes ------------------------------------------------------------------------------------

    /// <summary>Takes the tensor out of its dispose scope: the caller now owns it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        Scope?.Forget(this);
        EnsureBackstop();
        return this;
    }

    /// <summary>Moves the tensor to the scope that encloses its current one (or out of all scopes).</summary>
    public Tensor MoveToOuterDisposeScope()
    {
        var outer = Scope?.Outer;
        Scope?.Forget(this);
        if (outer?.Attach(this) != true) EnsureBackstop();
        return this;
    }

    public override string ToString() => TensorFormatter.Format(this);
}
