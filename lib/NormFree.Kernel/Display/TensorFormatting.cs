using System.Globalization;
using System.Reflection;
using Microsoft.DotNet.Interactive.Formatting;

namespace NormFree.Kernel.Display;

/// <summary>Shows TorchSharp tensors as their values, numpy style (<c>tensor.ToString(TensorStringStyle.Numpy)</c>),
/// instead of the formatter's default property table. The kernel does not reference TorchSharp (a notebook brings
/// its own copy through <c>#r</c>), so the formatter is registered by reflection when TorchSharp's assembly loads.</summary>
static class TensorFormatting
{
    const string TensorTypeName = "TorchSharp.torch+Tensor", StyleTypeName = "TorchSharp.TensorStringStyle";
    static readonly Lock sync = new();
    static bool registered;

    public static void Install()
    {
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Found(e.LoadedAssembly);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies()) Found(assembly);
    }

    static void Found(Assembly assembly)
    {
        if (assembly.IsDynamic || assembly.GetName().Name != "TorchSharp") return;
        var tensor = assembly.GetType(TensorTypeName);
        var style = assembly.GetType(StyleTypeName);
        var toString = tensor?.GetMethod("ToString", [style!, typeof(string), typeof(int?), typeof(CultureInfo), typeof(string)]);
        if (tensor is null || style is null || toString is null) return; // another TorchSharp: keep the default
        lock (sync)
        {
            if (registered) return;
            registered = true;
        }
        var numpy = Enum.Parse(style, "Numpy");
        Formatter.Register(tensor, (value, writer) =>
            writer.Write((string)toString.Invoke(value, [numpy, null, null, CultureInfo.InvariantCulture, "\n"])!), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(tensor, PlainTextFormatter.MimeType);
    }
}
