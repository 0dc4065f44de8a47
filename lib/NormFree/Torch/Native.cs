using System.Reflection;
using System.Runtime.InteropServices;

namespace NormFree.Torch;

/// <summary>P/Invoke surface of the native shim (lib/NormFree/native/shim.cpp). Nothing here throws;
/// callers check the return codes through <see cref="TorchException.Check(int)"/>.</summary>
internal static unsafe partial class Native
{
    const string Lib = "normfree_native";

    static Native()
    {
        // The shim sits next to NormFree.dll; find it there whatever the host's probing paths are
        // (a notebook kernel loads NormFree.dll by path through #r).
        NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, (name, assembly, path) =>
        {
            if (name != Lib) return IntPtr.Zero;
            var dir = Path.GetDirectoryName(assembly.Location) ?? ".";
            var candidate = Path.Combine(dir, "libnormfree_native.so");
            return NativeLibrary.TryLoad(candidate, out var handle) ? handle : IntPtr.Zero;
        });
    }

    /// <summary>Forces the static constructor (and so the resolver) to run before the first call.</summary>
    internal static void EnsureLoaded() { }

    [LibraryImport(Lib)] internal static partial IntPtr nf_last_error();
    [LibraryImport(Lib)] internal static partial long nf_live_tensors();

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr nf_op_find(string name, string overload);
    [LibraryImport(Lib)] internal static partial int nf_op_schema(IntPtr op, byte* buffer, int capacity);
    [LibraryImport(Lib)] internal static partial int nf_op_call(IntPtr op, NativeArg* args, int nargs, NativeResult* results, int maxResults);

    [LibraryImport(Lib)] internal static partial void nf_tensor_free(IntPtr tensor);
    [LibraryImport(Lib)] internal static partial IntPtr nf_tensor_share(IntPtr tensor);
    [LibraryImport(Lib)] internal static partial IntPtr nf_tensor_from_data(void* data, int dtype, long* shape, int ndim, int deviceType, int deviceIndex);
    [LibraryImport(Lib)] internal static partial int nf_tensor_copy_to(IntPtr tensor, void* destination, long nbytes);
    [LibraryImport(Lib)] internal static partial int nf_tensor_ndim(IntPtr tensor);
    [LibraryImport(Lib)] internal static partial int nf_tensor_shape(IntPtr tensor, long* shape);
    [LibraryImport(Lib)] internal static partial int nf_tensor_dtype(IntPtr tensor);
    [LibraryImport(Lib)] internal static partial int nf_tensor_device(IntPtr tensor, int* index);
    [LibraryImport(Lib)] internal static partial int nf_tensor_set_data(IntPtr tensor, IntPtr source);

    [LibraryImport(Lib)] internal static partial int nf_tensor_requires_grad(IntPtr tensor);
    [LibraryImport(Lib)] internal static partial int nf_tensor_set_requires_grad(IntPtr tensor, int value);
    [LibraryImport(Lib)] internal static partial int nf_tensor_is_leaf(IntPtr tensor);
    [LibraryImport(Lib)] internal static partial int nf_tensor_grad(IntPtr tensor, IntPtr* grad);
    [LibraryImport(Lib)] internal static partial int nf_tensor_set_grad(IntPtr tensor, IntPtr grad);
    [LibraryImport(Lib)] internal static partial int nf_backward(IntPtr tensor, IntPtr grad, int retainGraph, int createGraph);
    [LibraryImport(Lib)] internal static partial int nf_autograd_grad(IntPtr* outputs, int nOut, IntPtr* inputs, int nIn, IntPtr* gradOutputs, int retainGraph, int createGraph, int allowUnused, IntPtr* results);
    [LibraryImport(Lib)] internal static partial int nf_grad_enabled();
    [LibraryImport(Lib)] internal static partial void nf_set_grad_enabled(int enabled);

    [LibraryImport(Lib)] internal static partial int nf_manual_seed(ulong seed);
    [LibraryImport(Lib)] internal static partial IntPtr nf_rng_get_state(int deviceType, int deviceIndex);
    [LibraryImport(Lib)] internal static partial int nf_rng_set_state(int deviceType, int deviceIndex, IntPtr state);
    [LibraryImport(Lib)] internal static partial IntPtr nf_generator_new(ulong seed);
    [LibraryImport(Lib)] internal static partial void nf_generator_free(IntPtr generator);
    [LibraryImport(Lib)] internal static partial IntPtr nf_generator_get_state(IntPtr generator);
    [LibraryImport(Lib)] internal static partial int nf_generator_set_state(IntPtr generator, IntPtr state);

    [LibraryImport(Lib)] internal static partial void nf_set_num_threads(int n);
    [LibraryImport(Lib)] internal static partial int nf_get_num_threads();
    [LibraryImport(Lib)] internal static partial int nf_set_deterministic(int algorithms, int warnOnly, int cudnnDeterministic, int cudnnBenchmark);
    [LibraryImport(Lib)] internal static partial int nf_get_deterministic(int* algorithms, int* cudnnDeterministic, int* cudnnBenchmark);
    [LibraryImport(Lib)] internal static partial int nf_cuda_device_count();
    [LibraryImport(Lib)] internal static partial int nf_cuda_synchronize(int deviceIndex);
    [LibraryImport(Lib)] internal static partial int nf_torch_version(byte* buffer, int capacity);
}

/// <summary>Argument kinds of the boxed call; the values match ArgKind in shim.cpp.</summary>
internal enum ArgKind
{
    None = 0, Tensor = 1, Int = 2, Double = 3, Bool = 4, IntList = 5, DoubleList = 6, TensorList = 7,
    OptionalTensorList = 8, BoolList = 9, ScalarType = 10, Device = 11, String = 12, Generator = 13, ListHeader = 14,
}

[StructLayout(LayoutKind.Sequential)]
internal struct NativeArg
{
    public int Kind;
    public int Aux;
    public long I;
    public double D;
    public IntPtr P;
}

[StructLayout(LayoutKind.Sequential)]
internal struct NativeResult
{
    public int Kind;
    public int Pad;
    public long I;
    public double D;
    public IntPtr P;
}
