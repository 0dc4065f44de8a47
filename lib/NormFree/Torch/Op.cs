using System.Runtime.InteropServices;
using System.Text;

namespace NormFree.Torch;

/// <summary>An ATen operator looked up once in libtorch's dispatcher and called with a boxed argument stack.
/// Arguments go in schema order; trailing arguments left out take the schema's defaults. Autograd records
/// through these calls like through any other.</summary>
public sealed unsafe class Op
{
    const int MaxArgs = 24;
    const int ScratchBytes = 1 << 16;
    const int MaxResults = 1024;

    readonly IntPtr handle;
    public string Name { get; }

    [ThreadStatic] static byte* scratch;          // list and string payloads, reused by every call on this thread
    [ThreadStatic] static NativeResult* results;

    /// <summary>Finds <paramref name="name"/> (e.g. "aten::conv2d") with an overload name ("" for the default).</summary>
    public Op(string name, string overload = "")
    {
        Native.EnsureLoaded();
        Name = overload.Length == 0 ? name : $"{name}.{overload}";
        handle = Native.nf_op_find(name, overload);
        if (handle == IntPtr.Zero) throw new TorchException($"operator {Name} not found: {TorchException.LastError()}");
    }

    /// <summary>The operator's schema as libtorch prints it, e.g. for error messages and signature tests.</summary>
    public string Schema
    {
        get
        {
            var n = Native.nf_op_schema(handle, null, 0);
            TorchException.Check(n);
            var buffer = new byte[n + 1];
            fixed (byte* b = buffer) Native.nf_op_schema(handle, b, buffer.Length);
            return Encoding.UTF8.GetString(buffer, 0, n);
        }
    }

    /// <summary>Calls the operator; returns the raw results (lists as a header followed by their elements).</summary>
    int Invoke(ReadOnlySpan<Arg> args, out NativeResult* outputs)
    {
        if (args.Length > MaxArgs) throw new ArgumentException($"{Name}: at most {MaxArgs} arguments");
        if (scratch == null)
        {
            scratch = (byte*)NativeMemory.Alloc(ScratchBytes);
            results = (NativeResult*)NativeMemory.Alloc((nuint)(MaxResults * sizeof(NativeResult)));
        }
        NativeArg* native = stackalloc NativeArg[args.Length];
        var used = 0;
        for (var k = 0; k < args.Length; k++) native[k] = Lower(args[k], ref used);
        var n = Native.nf_op_call(handle, native, args.Length, results, MaxResults);
        // The tensors must outlive the native call: their finalizers would free the handles it reads.
        foreach (ref readonly var a in args) GC.KeepAlive(a.O);
        if (n < 0) throw TorchException.FromMessage($"{Name}: {TorchException.LastError()}"); // out-of-memory becomes TorchOutOfMemoryException
        outputs = results;
        return n;
    }

    NativeArg Lower(in Arg a, ref int used)
    {
        var n = new NativeArg { Kind = (int)a.Kind, I = a.I, D = a.D, Aux = a.Aux };
        switch (a.Kind)
        {
            case ArgKind.Tensor: n.P = ((Tensor)a.O!).Handle; break;
            case ArgKind.IntList: n.P = Copy<long>((long[])a.O!, ref used, out n.I); break;
            case ArgKind.DoubleList: n.P = Copy<double>((double[])a.O!, ref used, out n.I); break;
            case ArgKind.BoolList:
                var flags = (bool[])a.O!;
                var bytes = new byte[flags.Length];
                for (var k = 0; k < flags.Length; k++) bytes[k] = flags[k] ? (byte)1 : (byte)0;
                n.P = Copy<byte>(bytes, ref used, out n.I);
                break;
            case ArgKind.TensorList:
            case ArgKind.OptionalTensorList:
                var tensors = (Tensor?[])a.O!;
                var handles = new IntPtr[tensors.Length];
                for (var k = 0; k < tensors.Length; k++) handles[k] = tensors[k]?.Handle ?? IntPtr.Zero;
                n.P = Copy<IntPtr>(handles, ref used, out n.I);
                break;
            case ArgKind.String:
                var utf8 = Encoding.UTF8.GetBytes((string)a.O! + "\0");
                n.P = Copy<byte>(utf8, ref used, out _);
                break;
            case ArgKind.Generator: n.P = ((Generator)a.O!).Handle; break;
            case ArgKind.Device: new Device((DeviceType)a.I, a.Aux).EnsureAvailable(); break;
        }
        return n;
    }

    IntPtr Copy<T>(ReadOnlySpan<T> values, ref int used, out long length) where T : unmanaged
    {
        var bytes = values.Length * sizeof(T);
        var start = (used + 7) & ~7;
        if (start + bytes > ScratchBytes) throw new ArgumentException($"{Name}: list arguments too large");
        var destination = scratch + start;
        values.CopyTo(new Span<T>(destination, values.Length));
        used = start + bytes;
        length = values.Length;
        return (IntPtr)destination;
    }

    /// <summary>Calls an operator that returns one tensor.</summary>
    public Tensor Call(params ReadOnlySpan<Arg> args)
    {
        var n = Invoke(args, out var r);
        if (n < 1 || r[0].Kind != (int)ArgKind.Tensor) { Free(r, n); throw new TorchException($"{Name}: expected a tensor result"); }
        for (var k = 1; k < n; k++) FreeOne(r[k]);
        return new Tensor(r[0].P);
    }

    /// <summary>Calls an in-place operator (its result aliases the input): releases the returned alias.</summary>
    public void CallInPlace(params ReadOnlySpan<Arg> args)
    {
        var n = Invoke(args, out var r);
        Free(r, n);
    }

    /// <summary>Calls an operator that returns two tensors, e.g. (values, indices) or (Q, R).</summary>
    public (Tensor, Tensor) Call2(params ReadOnlySpan<Arg> args)
    {
        var n = Invoke(args, out var r);
        if (n < 2 || r[0].Kind != (int)ArgKind.Tensor || r[1].Kind != (int)ArgKind.Tensor)
        {
            Free(r, n);
            throw new TorchException($"{Name}: expected two tensor results");
        }
        for (var k = 2; k < n; k++) FreeOne(r[k]);
        return (new Tensor(r[0].P), new Tensor(r[1].P));
    }

    /// <summary>Calls an operator that returns several tensors (a tuple or a Tensor[]), undefined ones as null.</summary>
    public Tensor?[] CallMany(params ReadOnlySpan<Arg> args)
    {
        var n = Invoke(args, out var r);
        var list = new List<Tensor?>(n);
        for (var k = 0; k < n; k++)
        {
            if (r[k].Kind == (int)ArgKind.ListHeader) continue;
            list.Add(r[k].Kind == (int)ArgKind.Tensor ? new Tensor(r[k].P) : null);
        }
        return list.ToArray();
    }

    /// <summary>Calls an operator that returns a number (int, float or bool).</summary>
    public double CallScalar(params ReadOnlySpan<Arg> args)
    {
        var n = Invoke(args, out var r);
        try
        {
            if (n < 1) throw new TorchException($"{Name}: expected a scalar result");
            return r[0].Kind switch
            {
                (int)ArgKind.Double => r[0].D,
                (int)ArgKind.Int or (int)ArgKind.Bool => r[0].I,
                _ => throw new TorchException($"{Name}: expected a scalar result"),
            };
        }
        finally { Free(r, n); }
    }

    static void Free(NativeResult* r, int n)
    {
        for (var k = 0; k < n; k++) FreeOne(r[k]);
    }

    static void FreeOne(in NativeResult r)
    {
        if (r.Kind == (int)ArgKind.Tensor) Native.nf_tensor_free(r.P);
    }

    public override string ToString() => Name;
}
