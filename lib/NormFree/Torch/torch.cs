using System.Text;

namespace NormFree.Torch;

/// <summary>Factories, random numbers and global settings, named as in PyTorch (<c>torch.zeros</c>, ...).</summary>
public static unsafe partial class torch
{
    public const DType float32 = DType.Float32, float64 = DType.Float64, int64 = DType.Int64, int32 = DType.Int32,
        uint8 = DType.UInt8, @bool = DType.Bool;

    static torch()
    {
        Native.EnsureLoaded();
        // libtorch starts with one intra-op thread here; use every core unless OMP_NUM_THREADS says otherwise.
        var omp = Environment.GetEnvironmentVariable("OMP_NUM_THREADS");
        set_num_threads(int.TryParse(omp, out var n) && n > 0 ? n : Environment.ProcessorCount);
    }

    /// <summary>Runs the static initialisation (thread count) without doing anything else.</summary>
    public static void Initialize() { }

    // ---- factories -----------------------------------------------------------------------------------------
    public static Tensor zeros(long[] shape, DType dtype = DType.Float32, Device? device = null) => Ops.zeros.Call(shape, dtype, Arg.None, device);
    public static Tensor ones(long[] shape, DType dtype = DType.Float32, Device? device = null) => Ops.ones.Call(shape, dtype, Arg.None, device);
    public static Tensor full(long[] shape, double value, DType dtype = DType.Float32, Device? device = null) => Ops.full.Call(shape, value, dtype, Arg.None, device);
    public static Tensor empty(long[] shape, DType dtype = DType.Float32, Device? device = null) => Ops.empty.Call(shape, dtype, Arg.None, device);
    public static Tensor eye(long n, DType dtype = DType.Float32, Device? device = null) => Ops.eye.Call(n, dtype, Arg.None, device);
    public static Tensor arange(double start, double end, double step = 1, DType dtype = DType.Float32, Device? device = null) => Ops.arange.Call(start, end, step, dtype, Arg.None, device);
    public static Tensor arange(long end, DType dtype = DType.Int64, Device? device = null) => Ops.arange.Call(0L, end, 1L, dtype, Arg.None, device);
    public static Tensor zeros_like(Tensor t) => Ops.zeros_like.Call(t);
    public static Tensor ones_like(Tensor t) => Ops.ones_like.Call(t);
    public static Tensor randn_like(Tensor t) => Ops.randn_like.Call(t);
    public static Tensor rand_like(Tensor t) => Ops.rand_like.Call(t);

    /// <summary>A tensor holding a copy of <paramref name="data"/> in the given shape (1-D when no shape is given).</summary>
    public static Tensor tensor(float[] data, long[]? shape = null, Device? device = null) => Tensor.From<float>(data, shape ?? [data.Length], device);
    public static Tensor tensor(double[] data, long[]? shape = null, Device? device = null) => Tensor.From<double>(data, shape ?? [data.Length], device);
    public static Tensor tensor(long[] data, long[]? shape = null, Device? device = null) => Tensor.From<long>(data, shape ?? [data.Length], device);
    public static Tensor tensor(int[] data, long[]? shape = null, Device? device = null) => Tensor.From<int>(data, shape ?? [data.Length], device);
    public static Tensor tensor(byte[] data, long[]? shape = null, Device? device = null) => Tensor.From<byte>(data, shape ?? [data.Length], device);
    public static Tensor tensor(bool[] data, long[]? shape = null, Device? device = null) => Tensor.From<bool>(data, shape ?? [data.Length], device);
    public static Tensor scalar(double value, DType dtype = DType.Float32, Device? device = null) => full([], value, dtype, device);

    // ---- random --------------------------------------------------------------------------------------------
    // A Generator is a CPU generator: seeded draws are made on the CPU and then moved to the requested device, so a
    // seed gives the same numbers on every device (libtorch itself refuses a CPU generator for a CUDA tensor).
    public static Tensor rand(long[] shape, DType dtype = DType.Float32, Device? device = null, Generator? generator = null) =>
        generator is null ? Ops.rand.Call(shape, dtype, Arg.None, device) : Moved(Ops.rand_g.Call(shape, generator, dtype), device);
    public static Tensor randn(long[] shape, DType dtype = DType.Float32, Device? device = null, Generator? generator = null) =>
        generator is null ? Ops.randn.Call(shape, dtype, Arg.None, device) : Moved(Ops.randn_g.Call(shape, generator, dtype), device);
    /// <summary>Integers uniform in [low, high).</summary>
    public static Tensor randint(long low, long high, long[] shape, DType dtype = DType.Int64, Device? device = null, Generator? generator = null) =>
        generator is null ? Ops.randint.Call(low, high, shape, dtype, Arg.None, device) : Moved(Ops.randint_g.Call(low, high, shape, generator, dtype), device);
    public static Tensor randperm(long n, DType dtype = DType.Int64, Device? device = null, Generator? generator = null) =>
        generator is null ? Ops.randperm.Call(n, dtype, Arg.None, device) : Moved(Ops.randperm_g.Call(n, generator, dtype), device);
    /// <summary>Bernoulli draws with the probabilities in <paramref name="p"/>, on p's device.</summary>
    public static Tensor bernoulli(Tensor p, Generator? generator = null)
    {
        if (generator is null) return Ops.bernoulli.Call(p);
        using var onCpu = p.to(Device.CPU);
        return Moved(Ops.bernoulli.Call(onCpu, generator), p.device);
    }

    /// <summary>Bernoulli draws with probability <paramref name="p"/>, shaped like <paramref name="like"/> and on its device.</summary>
    public static Tensor bernoulli(Tensor like, double p, Generator? generator = null)
    {
        if (generator is null) return Ops.bernoulli_p.Call(like, p);
        using var onCpu = like.to(Device.CPU);
        return Moved(Ops.bernoulli_p.Call(onCpu, p, generator), like.device);
    }

    /// <summary>A tensor drawn on the CPU, on <paramref name="device"/> (the same tensor when that is the CPU).</summary>
    internal static Tensor Moved(Tensor drawn, Device? device)
    {
        using (drawn) return drawn.to(device ?? Device.CPU);
    }

    /// <summary>Seeds the global CPU (and every CUDA) generator.</summary>
    public static void manual_seed(ulong seed) => TorchException.Check(Native.nf_manual_seed(seed));

    /// <summary>The global generator's state (a uint8 tensor), e.g. for a checkpoint.</summary>
    public static Tensor get_rng_state(Device? device = null)
    {
        var d = device ?? Device.CPU;
        return new Tensor(Native.nf_rng_get_state((int)d.Type, Math.Max(d.Index, 0)));
    }

    public static void set_rng_state(Tensor state, Device? device = null)
    {
        var d = device ?? Device.CPU;
        TorchException.Check(Native.nf_rng_set_state((int)d.Type, Math.Max(d.Index, 0), state.Handle));
    }

    // ---- combining -----------------------------------------------------------------------------------------
    public static Tensor cat(Tensor[] tensors, long dim = 0) => Ops.cat.Call(tensors, dim);
    public static Tensor stack(Tensor[] tensors, long dim = 0) => Ops.stack.Call(tensors, dim);
    public static Tensor where(Tensor condition, Tensor x, Tensor y) => Ops.where.Call(condition, x, y);
    public static Tensor matmul(Tensor a, Tensor b) => Ops.matmul.Call(a, b);
    public static Tensor mm(Tensor a, Tensor b) => Ops.mm.Call(a, b);
    /// <summary>Batched matrix product: (B, n, m) × (B, m, p) → (B, n, p).</summary>
    public static Tensor bmm(Tensor a, Tensor b) => Ops.bmm.Call(a, b);
    public static Tensor diag(Tensor t, long diagonal = 0) => Ops.diag.Call(t, diagonal);
    /// <summary>torch.pdist: the p-norm distance between every pair of rows of x (N, M), as a vector of N(N − 1)/2, rows
    /// i &lt; j in order. Computed from the differences themselves, so identical rows are exactly 0 apart.</summary>
    public static Tensor pdist(Tensor x, double p = 2) => Ops.pdist.Call(x, p);

    /// <summary>torch.linalg.qr: A = QR with Q orthonormal columns ("reduced") or square ("complete").</summary>
    public static (Tensor Q, Tensor R) linalg_qr(Tensor a, string mode = "reduced") => Ops.linalg_qr.Call2(a, mode);

    // ---- autograd ------------------------------------------------------------------------------------------

    /// <summary>Disables gradient recording until disposed: <c>using (torch.no_grad()) { ... }</c>.</summary>
    public static GradMode no_grad() => new(false);
    public static GradMode enable_grad() => new(true);
    public static bool is_grad_enabled() => Native.nf_grad_enabled() == 1;

    /// <summary>torch.autograd.grad: gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>.
    /// With <paramref name="create_graph"/> the result is itself differentiable (Hessian-vector products).
    /// Unused inputs give null when <paramref name="allow_unused"/>.</summary>
    public static Tensor?[] grad(Tensor[] outputs, Tensor[] inputs, Tensor?[]? grad_outputs = null,
        bool? retain_graph = null, bool create_graph = false, bool allow_unused = false)
    {
        var outs = Array.ConvertAll(outputs, t => t.Handle);
        var ins = Array.ConvertAll(inputs, t => t.Handle);
        var gouts = grad_outputs is null ? null : Array.ConvertAll(grad_outputs, t => t?.Handle ?? IntPtr.Zero);
        if (gouts is not null && gouts.Length != outs.Length) throw new ArgumentException("grad_outputs must match outputs in length");
        var results = new IntPtr[ins.Length];
        int r;
        fixed (IntPtr* o = outs, i = ins, g = gouts, res = results)
            r = Native.nf_autograd_grad(o, outs.Length, i, ins.Length, g, retain_graph is null ? -1 : retain_graph.Value ? 1 : 0,
                create_graph ? 1 : 0, allow_unused ? 1 : 0, res);
        GC.KeepAlive(outputs); GC.KeepAlive(inputs); GC.KeepAlive(grad_outputs);
        TorchException.Check(r);
        return Array.ConvertAll(results, h => h == IntPtr.Zero ? null : new Tensor(h));
    }

    // ---- memory --------------------------------------------------------------------------------------------

    /// <summary>Opens a dispose scope on this thread; see <see cref="DisposeScope"/>.</summary>
    public static DisposeScope NewDisposeScope() => new();

    /// <summary>Native tensor handles alive in the shim (managed handles: <see cref="Tensor.LiveCount"/>).</summary>
    public static long native_live_tensors() => Native.nf_live_tensors();

    // ---- settings ------------------------------------------------------------------------------------------
    public static void set_num_threads(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), "need at least one thread");
        Native.nf_set_num_threads(n);
    }

    public static int get_num_threads() => Native.nf_get_num_threads();

    /// <summary>torch.use_deterministic_algorithms: ops without a deterministic implementation then throw
    /// (or only warn with <paramref name="warn_only"/>).</summary>
    public static void use_deterministic_algorithms(bool enabled, bool warn_only = false) =>
        TorchException.Check(Native.nf_set_deterministic(enabled ? 1 : 0, warn_only ? 1 : 0, -1, -1));

    public static bool are_deterministic_algorithms_enabled()
    {
        int a, d, b;
        Native.nf_get_deterministic(&a, &d, &b);
        return a != 0;
    }

    public static string version
    {
        get
        {
            var buffer = stackalloc byte[64];
            var n = Native.nf_torch_version(buffer, 64);
            return Encoding.ASCII.GetString(buffer, Math.Min(n, 63));
        }
    }

    /// <summary>CUDA queries; on a CPU-only libtorch every answer is "none".</summary>
    public static class cuda
    {
        public static bool is_available() => device_count() > 0;
        public static int device_count() { Native.EnsureLoaded(); return Native.nf_cuda_device_count(); }

        /// <summary>torch.cuda.synchronize: waits until every kernel queued on <paramref name="device"/> (default: the
        /// current CUDA device) has finished, so a stopwatch around GPU work measures the work and not its launch.
        /// Without CUDA (a CPU-only libtorch, no GPU) it returns at once: CPU ops finish before they return.</summary>
        public static void synchronize(Device? device = null)
        {
            if (device is { IsCuda: false } d) throw new ArgumentException($"synchronize needs a CUDA device, got {d}", nameof(device));
            Native.EnsureLoaded();
            TorchException.Check(Native.nf_cuda_synchronize(device is { } c ? Math.Max(c.Index, 0) : -1));
        }
    }

    /// <summary>cuDNN switches (torch.backends.cudnn); they matter only on CUDA, and are recorded everywhere.</summary>
    public static class backends_cudnn
    {
        public static bool deterministic
        {
            get { int a, d, b; Native.nf_get_deterministic(&a, &d, &b); return d != 0; }
            set => TorchException.Check(Native.nf_set_deterministic(-1, -1, value ? 1 : 0, -1));
        }

        public static bool benchmark
        {
            get { int a, d, b; Native.nf_get_deterministic(&a, &d, &b); return b != 0; }
            set => TorchException.Check(Native.nf_set_deterministic(-1, -1, -1, value ? 1 : 0));
        }
    }
}

/// <summary>Sets grad mode for the current thread until disposed, then restores the previous mode.</summary>
public readonly struct GradMode : IDisposable
{
    readonly bool previous;

    internal GradMode(bool enabled)
    {
        Native.EnsureLoaded();
        previous = Native.nf_grad_enabled() == 1;
        Native.nf_set_grad_enabled(enabled ? 1 : 0);
    }

    public void Dispose() => Native.nf_set_grad_enabled(previous ? 1 : 0);
}
