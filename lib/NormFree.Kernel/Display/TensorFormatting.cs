using System.Globalization;
using System.Reflection;
using Microsoft.DotNet.Interactive.Formatting;

namespace NormFree.Kernel.Display;

/// <summary>Shows TorchSharp tensors as their values, numpy style (<c>tensor.ToString(TensorStringStyle.Numpy)</c>),
/// up to <see cref="MaxElements"/> elements (PyTorch's print threshold); a larger tensor shows its shape, dtype and
/// device only — TorchSharp's own notebook formatter prints every element, which turned a data set shown as a cell's
/// result into megabytes of output. The kernel does not reference TorchSharp (a notebook brings
/// its own copy through <c>#r</c>), so the formatter is registered by reflection when TorchSharp's assembly loads.</summary>
static class TensorFormatting
{
    const string TensorTypeName = "TorchSharp.torch+Tensor", StyleTypeName = "TorchSharp.TensorStringStyle";
    public const long MaxElements = 1000;
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
        var numel = tensor.GetMethod("numel", Type.EmptyTypes);
        if (numel is null) return;
        string Text(object value) => (long)numel.Invoke(value, null)! <= MaxElements
            ? (string)toString.Invoke(value, [numpy, null, null, CultureInfo.InvariantCulture, "\n"])!
            : $"{value} ({numel.Invoke(value, null)} elements)";   // TorchSharp's ToString(): [shape], type, device
        Formatter.Register(tensor, (value, writer) => writer.Write(Text(value)), PlainTextFormatter.MimeType);
        Formatter.Register(tensor, (value, writer) => writer.Write($"<pre>{System.Net.WebUtility.HtmlEncode(Text(value))}</pre>"), HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(tensor, PlainTextFormatter.MimeType);
    }
}
