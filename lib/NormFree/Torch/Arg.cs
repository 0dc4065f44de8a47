namespace NormFree.Torch;

/// <summary>One argument of a boxed operator call. Converts implicitly from the .NET values an ATen schema
/// takes, so wrappers read like the schema: <c>Op.Call(conv2d, input, weight, bias, stride, padding)</c>.</summary>
public readonly struct Arg
{
    internal readonly ArgKind Kind;
    internal readonly long I;
    internal readonly double D;
    internal readonly object? O;
    internal readonly int Aux;

    Arg(ArgKind kind, long i = 0, double d = 0, object? o = null, int aux = 0)
    {
        Kind = kind; I = i; D = d; O = o; Aux = aux;
    }

    public static readonly Arg None = new(ArgKind.None);

    public static implicit operator Arg(Tensor? t) => t is null ? None : new(ArgKind.Tensor, o: t);
    public static implicit operator Arg(long v) => new(ArgKind.Int, i: v);
    public static implicit operator Arg(int v) => new(ArgKind.Int, i: v);
    public static implicit operator Arg(double v) => new(ArgKind.Double, d: v);
    public static implicit operator Arg(bool v) => new(ArgKind.Bool, i: v ? 1 : 0);
    public static implicit operator Arg(long[]? v) => v is null ? None : new(ArgKind.IntList, o: v);
    public static implicit operator Arg(double[]? v) => v is null ? None : new(ArgKind.DoubleList, o: v);
    public static implicit operator Arg(bool[]? v) => v is null ? None : new(ArgKind.BoolList, o: v);
    public static implicit operator Arg(Tensor[]? v) => v is null ? None : new(ArgKind.TensorList, o: v);
    public static implicit operator Arg(DType v) => new(ArgKind.ScalarType, i: (long)v);
    public static implicit operator Arg(DType? v) => v is null ? None : new(ArgKind.ScalarType, i: (long)v.Value);
    public static implicit operator Arg(Device v) => new(ArgKind.Device, i: (long)v.Type, aux: v.Index);
    public static implicit operator Arg(Device? v) => v is null ? None : (Arg)v.Value;
    public static implicit operator Arg(string? v) => v is null ? None : new(ArgKind.String, o: v);
    public static implicit operator Arg(Generator? v) => v is null ? None : new(ArgKind.Generator, o: v);

    /// <summary>An optional int (<c>int?</c> in a schema).</summary>
    public static Arg Optional(long? v) => v is null ? None : v.Value;
    /// <summary>An optional float (<c>float?</c>/<c>Scalar?</c> in a schema).</summary>
    public static Arg Optional(double? v) => v is null ? None : v.Value;
    /// <summary>A list of optional tensors (<c>Tensor?[]</c>), as aten::index takes.</summary>
    public static Arg OptionalTensors(Tensor?[] v) => new(ArgKind.OptionalTensorList, o: v);
}
