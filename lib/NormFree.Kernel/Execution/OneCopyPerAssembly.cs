using System.Reflection;
using System.Runtime.Loader;

namespace NormFree.Kernel.Execution;

/// <summary>Keeps one copy of each assembly in the kernel process. Roslyn scripting loads a <c>#r</c>'d assembly and
/// its dependencies into contexts of their own, and a dependency requested again from another of them (TorchSharp.PyBridge
/// asking for TorchSharp after NormFree.dll already loaded it) would be loaded a second time: the two TorchSharps'
/// types differ, and a call across them fails with <c>MissingMethodException</c> (<c>Checkpoint.save</c> → PyBridge's
/// <c>save_py(OptimizerHelper, …)</c>). Resolution falls back to the default context's <c>Resolving</c> event before
/// any other loader; this hands back the copy already loaded, by name and version.</summary>
public static class OneCopyPerAssembly
{
    public static void Install() => AssemblyLoadContext.Default.Resolving += (_, name) => Loaded(name);

    static Assembly? Loaded(AssemblyName wanted) =>
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a =>
            a.GetName() is { } have && string.Equals(have.Name, wanted.Name, StringComparison.OrdinalIgnoreCase)
            && (wanted.Version is null || have.Version >= wanted.Version));
}
