using System.Reflection;

namespace NormFree.Kernel.Execution;

/// <summary>Hands each cell's interrupt token to <c>NormFree.Notebooks.Interrupt.Token</c> in every loaded copy of
/// the library (found by name when the assembly loads: the kernel does not reference the library), so library loops
/// stop between steps when the user interrupts.</summary>
public sealed class LibraryInterrupt
{
    const string TypeName = "NormFree.Notebooks.Interrupt";
    readonly List<PropertyInfo> tokens = [];
    CancellationToken current;

    public LibraryInterrupt()
    {
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Found(e.LoadedAssembly);
        foreach (var a in AppDomain.CurrentDomain.GetAssemblies()) Found(a);
    }

    void Found(Assembly assembly)
    {
        if (assembly.IsDynamic || assembly.GetType(TypeName, throwOnError: false)?.GetProperty("Token", BindingFlags.Public | BindingFlags.Static) is not { CanWrite: true } p
            || p.PropertyType != typeof(CancellationToken)) return;
        lock (tokens)
        {
            tokens.Add(p);
            p.SetValue(null, current);
        }
    }

    /// <summary>Sets the token for the cell about to run.</summary>
    public void Set(CancellationToken token)
    {
        lock (tokens)
        {
            current = token;
            foreach (var p in tokens) p.SetValue(null, token);
        }
    }
}
