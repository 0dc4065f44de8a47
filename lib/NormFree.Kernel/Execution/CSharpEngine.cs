using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace NormFree.Kernel.Execution;

/// <summary>.NET Interactive's C# engine, hosted in this process: a <c>CSharpKernel</c> (Roslyn scripting: state,
/// <c>using</c>s and types carry across cells) with <c>#r "nuget: ..."</c>, inside a <c>CompositeKernel</c>. Its
/// events (console output, displays, results, failures) go to the handler given; the Jupyter side is not its
/// concern. One instance per engine life: after a cell that ignores an interrupt, the kernel builds a new one.</summary>
public sealed class CSharpEngine : IDisposable
{
    readonly CompositeKernel root;
    readonly IDisposable subscription;
    int commandsHoldingThread;

    /// <param name="onEvent">called on the engine's threads while it runs code: must not write to
    /// <c>Console</c> (the engine redirects it during a submission and would feed the text back as an event).</param>
    public CSharpEngine(Action<KernelEvent> onEvent)
    {
        var csharp = new CSharpKernel().UseNugetDirective((kernel, packages) =>
        {
            kernel.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
            return Task.CompletedTask;
        });
        EmitLineNumbers(csharp);
        // The cells' globals (display, HTML, InterruptToken), imported before the first cell runs.
        csharp.AddAssemblyReferences([typeof(Display.CellGlobals).Assembly.Location]);
        csharp.DeferCommand(new SubmitCode($"using static {typeof(Display.CellGlobals).FullName};"));
        // Counts commands whose code holds the engine's thread: the call into the handler returns when the code
        // first awaits or ends. Code that awaits frees the thread, and the engine's cancellation then stops waiting
        // for it; code that never returns (a loop that checks nothing, a long sleep) keeps the thread, and every
        // later command would wait behind it.
        csharp.AddMiddleware(async (command, context, next) =>
        {
            Task? handled = null;
            Interlocked.Increment(ref commandsHoldingThread);
            try { handled = next(command, context); }
            finally { Interlocked.Decrement(ref commandsHoldingThread); }
            await handled!;
        });
        root = new CompositeKernel { csharp };
        root.DefaultKernelName = csharp.Name;
        NuGetExtensionLoader.Use(root);
        subscription = root.KernelEvents.Subscribe(onEvent);
    }

    /// <summary>Compiles cells with debug information, so that a runtime exception's stack names the line of the cell
    /// it came from (<c>at Fail() in In[3], line 5</c>, see <see cref="ErrorReport.Runtime"/>). CSharpKernel keeps its Roslyn
    /// script options private and emits none by default; without the field (another engine version) cells still
    /// run, their stack frames without lines.</summary>
    static void EmitLineNumbers(CSharpKernel csharp)
    {
        var field = typeof(CSharpKernel).GetField("_scriptOptions", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance);
        if (field?.GetValue(csharp) is Microsoft.CodeAnalysis.Scripting.ScriptOptions options)
            field.SetValue(csharp, options.WithEmitDebugInformation(true).WithFileEncoding(System.Text.Encoding.UTF8));
    }

    /// <summary>Whether a submission's code holds the engine's thread (also after its <see cref="Submit"/> was
    /// cancelled): while it does, no other command can run.</summary>
    public bool IsHoldingThread => Volatile.Read(ref commandsHoldingThread) > 0;

    /// <summary>Runs a cell; cancelling <paramref name="token"/> cancels the submission.</summary>
    public Task<KernelCommandResult> Submit(string code, CancellationToken token) => root.SendAsync(new SubmitCode(code), token);

    /// <summary>Sends a language service request (completions, hover text).</summary>
    public Task<KernelCommandResult> Ask(KernelCommand request) => root.SendAsync(request);

    public void Dispose()
    {
        subscription.Dispose();
        // An engine abandoned with a cell still spinning cannot wait for it: dispose without blocking the caller.
        _ = Task.Run(() => { try { root.Dispose(); } catch (Exception) { } });
    }
}
