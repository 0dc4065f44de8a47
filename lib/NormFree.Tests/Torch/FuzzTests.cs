using System.Reflection;
using NormFree.Nn;
using NormFree.Torch;
using Xunit.Abstractions;

namespace NormFree.Tests.Torch;

/// <summary>Issue 2, acceptance 5: hundreds of malformed calls — every public wrapper of Tensor, torch and F with
/// random arguments of the right .NET types but arbitrary shapes, dtypes, ranks, indices, flags, and now and then a
/// disposed tensor — each returns or throws a .NET exception; the process survives and no native handle leaks.</summary>
[Collection(GlobalState.Name)]
public class FuzzTests(ITestOutputHelper output)
{
    const int Calls = 600;

    /// <summary>Exceptions a malformed call may raise; anything else (NullReferenceException, AccessViolation...) is a bug.</summary>
    static readonly Type[] Expected =
    [
        typeof(TorchException), typeof(ArgumentException), typeof(ObjectDisposedException),
        typeof(InvalidOperationException), typeof(FormatException), typeof(NotSupportedException),
    ];

    /// <summary>Calls that change process-wide state other code relies on (threads, seeds, grad mode, scopes), or
    /// that draw from the global generator's state tensor; they have their own tests.</summary>
    static readonly HashSet<string> Skipped =
    [
        "set_num_threads", "manual_seed", "set_rng_state", "use_deterministic_algorithms", "no_grad", "enable_grad",
        "NewDisposeScope", "Initialize", "Dispose", "DetachFromDisposeScope", "MoveToOuterDisposeScope", "ToString",
        "GetType", "GetHashCode", "Equals", "MemberwiseClone", "Finalize", "set_default_device",
    ];

    static List<MethodInfo> Targets() =>
        new[] { typeof(Tensor), typeof(torch), typeof(F) }
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => !m.IsGenericMethodDefinition && !m.GetParameters().Any(p => p.ParameterType.IsByRefLike) // spans cannot be passed by reflection
                         && !Skipped.Contains(m.Name) && !(m.IsSpecialName && m.Name.StartsWith("set_")))
            .ToList();

    [Fact]
    public void HundredsOfMalformedCallsThrowDotNetExceptionsAndLeakNothing()
    {
        LeakCheck.SettleGarbage();
        var handlesBefore = torch.native_live_tensors();
        var random = new Random(20240601);
        var targets = Targets();
        var outcomes = new Dictionary<string, int>();
        using (var scope = torch.NewDisposeScope())
        using (var generator = new Generator(3))
        {
            var args = new Arguments(random, generator);
            for (var i = 0; i < Calls; i++)
            {
                var method = targets[random.Next(targets.Count)];
                var outcome = Invoke(method, args);
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
        }
        LeakCheck.SettleGarbage();
        output.WriteLine(string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}")));

        Assert.True(outcomes.GetValueOrDefault(nameof(TorchException)) > Calls / 4, "most calls should be malformed enough for libtorch to refuse them");
        Assert.Equal(handlesBefore, torch.native_live_tensors());
    }

    /// <summary>Operators called through <see cref="Op"/> directly with arguments of random kinds (a string where
    /// a tensor goes, a list where an int goes, too few, too many): the boxed kernels must refuse them cleanly.</summary>
    [Fact]
    public void RawOperatorCallsWithArgumentsOfWrongKindsThrowTorchExceptions()
    {
        string[] names = ["aten::add.Tensor", "aten::mm", "aten::conv2d", "aten::view", "aten::cat", "aten::sum.dim_IntList",
            "aten::batch_norm", "aten::index.Tensor", "aten::slice.Tensor", "aten::zeros", "aten::full", "aten::linalg_qr",
            "aten::max_pool2d", "aten::constant_pad_nd", "aten::gather", "aten::cross_entropy_loss", "aten::to.dtype_layout",
            "aten::randint.low", "aten::chunk", "aten::where.self", "aten::linear", "aten::dropout", "aten::avg_pool2d",
            "aten::arange.start_step", "aten::masked_fill.Scalar", "aten::index_select", "aten::linalg_vector_norm",
            "aten::expand", "aten::repeat", "aten::nll_loss", "aten::uniform_", "aten::copy_", "aten::max.dim", "aten::stack"];
        var ops = Array.ConvertAll(names, n => n.Split('.') is [var name, var overload] ? new Op(name, overload) : new Op(n));
        LeakCheck.SettleGarbage();
        var handlesBefore = torch.native_live_tensors();
        var random = new Random(17);
        var refused = 0;
        using (var generator = new Generator(5))
        {
            var args = new Arguments(random, generator);
            for (var i = 0; i < Calls; i++)
            {
                using var scope = torch.NewDisposeScope();
                var op = ops[random.Next(ops.Length)];
                var values = Enumerable.Range(0, random.Next(8)).Select(_ => args.AnyArg()).ToArray();
                try { foreach (var t in op.CallMany(values)) t?.Dispose(); }
                catch (TorchException) { refused++; }
                catch (ObjectDisposedException) { refused++; }
                catch (InvalidOperationException) { refused++; }             // a CUDA device on a machine without one
            }
        }
        LeakCheck.SettleGarbage();
        Assert.True(refused > Calls / 2, $"only {refused} of {Calls} calls were refused");
        Assert.Equal(handlesBefore, torch.native_live_tensors());
    }

    static string Invoke(MethodInfo method, Arguments args)
    {
        object? target = method.IsStatic ? null : args.Tensor();
        // null only where the signature allows it (Tensor?, long[]?): the compiler keeps it out of the others.
        var nullability = new NullabilityInfoContext();
        var values = Array.ConvertAll(method.GetParameters(), p =>
            nullability.Create(p).WriteState == NullabilityState.Nullable && args.Coin(4) ? null : args.For(p.ParameterType));
        try
        {
            var result = method.Invoke(target, values);
            DisposeAll(result);
            return "returned";
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            var type = inner.GetType();
            Assert.True(Expected.Any(x => x.IsAssignableFrom(type)),
                $"{method.DeclaringType!.Name}.{method.Name}({string.Join(", ", values.Select(Describe))}) threw {type.Name}: {inner.Message}");
            if (inner is TorchException) Assert.False(string.IsNullOrWhiteSpace(inner.Message));
            return Expected.First(x => x.IsAssignableFrom(type)).Name;
        }
    }

    static void DisposeAll(object? result)
    {
        switch (result)
        {
            case IDisposable d: d.Dispose(); break;
            case Tensor?[] list: foreach (var t in list) t?.Dispose(); break;
            case System.Runtime.CompilerServices.ITuple tuple:
                for (var k = 0; k < tuple.Length; k++) DisposeAll(tuple[k]);
                break;
        }
    }

    static string Describe(object? v) => v switch
    {
        null => "null",
        Tensor t => t.IsDisposed ? "<disposed>" : $"{t.dtype}[{string.Join(",", t.shape)}]",
        long[] l => $"[{string.Join(",", l)}]",
        Tensor[] ts => $"Tensor[{ts.Length}]",
        _ => v.ToString() ?? "?",
    };

    /// <summary>Random argument values; the tensors all belong to the test's dispose scope.</summary>
    sealed class Arguments(Random random, Generator generator)
    {
        static readonly DType[] Dtypes = [DType.Float32, DType.Float64, DType.Int64, DType.Int32, DType.UInt8, DType.Bool];
        /// <summary>Small sizes, a few negatives, and 50 as the out-of-range index (repeat/expand by 50 stays small).</summary>
        static readonly long[] Ints = [-3, -1, 0, 1, 2, 3, 4, 50];
        static readonly double[] Doubles = [-1.5, -1, 0, 0.1, 0.5, 1, 2, double.NaN, double.PositiveInfinity];
        static readonly string[] Strings = ["constant", "reflect", "reduced", "complete", "bogus", "", "cuda:0", "cpu"];

        /// <summary>True once in <paramref name="n"/> draws.</summary>
        public bool Coin(int n) => random.Next(n) == 0;

        public Tensor Tensor()
        {
            if (random.Next(20) == 0) { var d = torch.ones([2]); d.Dispose(); return d; }
            var rank = random.Next(5);
            var shape = new long[rank];
            for (var k = 0; k < rank; k++) shape[k] = random.Next(4);          // 0 makes empty tensors too
            var dtype = Dtypes[random.Next(Dtypes.Length)];
            using var values = torch.randn(shape, DType.Float64, generator: generator);
            using var scaled = values * 3;
            return scaled.to(dtype);
        }

        /// <summary>An argument of a random kind, for a boxed call that does not know the schema.</summary>
        public Arg AnyArg() => random.Next(12) switch
        {
            0 => Ints[random.Next(Ints.Length)],
            1 => Doubles[random.Next(Doubles.Length)],
            2 => Coin(2),
            3 => (long[])For(typeof(long[]))!,
            4 => (double[])For(typeof(double[]))!,
            5 => (Tensor[])For(typeof(Tensor[]))!,
            6 => Strings[random.Next(Strings.Length)],
            7 => Arg.None,
            8 => Dtypes[random.Next(Dtypes.Length)],
            9 => (Device)For(typeof(Device))!,
            _ => Tensor(),
        };

        public object? For(Type type)
        {
            var underlying = Nullable.GetUnderlyingType(type);
            if (underlying is not null) return For(underlying);
            if (type == typeof(Tensor)) return Tensor();
            if (type == typeof(Tensor[]) || type == typeof(Tensor?[])) return Enumerable.Range(0, random.Next(4)).Select(_ => Tensor()).ToArray();
            if (type == typeof(long) || type == typeof(int)) return Convert.ChangeType(Ints[random.Next(Ints.Length)], type);
            if (type == typeof(ulong)) return (ulong)random.Next(100);
            if (type == typeof(double)) return Doubles[random.Next(Doubles.Length)];
            if (type == typeof(bool)) return random.Next(2) == 0;
            if (type == typeof(long[])) return Enumerable.Range(0, random.Next(5)).Select(_ => Ints[random.Next(Ints.Length)]).ToArray();
            if (type == typeof(string)) return Strings[random.Next(Strings.Length)];
            if (type == typeof(DType)) return Dtypes[random.Next(Dtypes.Length)];
            if (type == typeof(Device)) return random.Next(4) == 0 ? Device.CUDA(random.Next(2)) : Device.CPU;
            if (type == typeof(Generator)) return generator;
            if (type == typeof(Range)) return new Range(new Index(random.Next(5), random.Next(2) == 0), new Index(random.Next(5), random.Next(2) == 0));
            if (type == typeof(float[])) return new float[random.Next(4)];
            if (type == typeof(double[])) return new double[random.Next(4)];
            if (type == typeof(int[])) return new int[random.Next(4)];
            if (type == typeof(byte[])) return new byte[random.Next(4)];
            if (type == typeof(bool[])) return new bool[random.Next(4)];
            throw new NotSupportedException($"the fuzz test has no values for parameters of type {type}; add them in Arguments.For");
        }
    }
}
