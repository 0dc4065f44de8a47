using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;

namespace NormFree.Kernel.Execution;

/// <summary>Loads the kernel extensions a NuGet package carries in <c>interactive-extensions/dotnet/*.dll</c> (e.g.
/// Plotly.NET.Interactive's chart formatter) when <c>#r "nuget: ..."</c> adds the package. The dotnet-interactive
/// tool does this itself; the engine packages hosted here do not, so without this such packages add their assemblies
/// but none of their formatters. (An extension's <c>extension.dib</c> script is not run.)</summary>
static class NuGetExtensionLoader
{
    public static void Use(CompositeKernel root)
    {
        var added = new ConcurrentQueue<string>();
        var seen = new ConcurrentDictionary<string, bool>();
        root.RegisterForDisposal(root.KernelEvents.OfType<PackageAdded>()
            .Subscribe(e => { if (e.PackageReference.PackageRoot is { } dir && seen.TryAdd(dir, true)) added.Enqueue(dir); }));
        // After the command that restored the package, still inside its invocation: an extension's failure
        // fails that cell, and an extension that sends commands to the kernel does not deadlock an event handler.
        root.AddMiddleware(async (command, context, next) =>
        {
            await next(command, context);
            while (added.TryDequeue(out var packageRoot))
                foreach (var dll in ExtensionAssemblies(packageRoot)) await Load(dll, root, context);
        });
    }

    static IEnumerable<string> ExtensionAssemblies(string packageRoot)
    {
        var dir = Path.Combine(packageRoot, "interactive-extensions", "dotnet");
        return Directory.Exists(dir) ? Directory.GetFiles(dir, "*.dll").Order(StringComparer.Ordinal) : [];
    }

    static async Task Load(string dll, CompositeKernel root, KernelInvocationContext context)
    {
        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(dll);
        foreach (var type in assembly.ExportedTypes.Where(t => t is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false } && typeof(IKernelExtension).IsAssignableFrom(t)))
        {
            try
            {
                var extension = (IKernelExtension)Activator.CreateInstance(type)!;
                await extension.OnLoadAsync(root);
                context.Publish(new KernelExtensionLoaded(extension, context.Command));
            }
            catch (Exception e)
            {
                context.Fail(context.Command, e, $"the kernel extension {type.FullName} in {dll} failed to load: {e.Message}");
            }
        }
    }
}
