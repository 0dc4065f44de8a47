using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using NormFree.Kernel.Display;

namespace NormFree.Kernel.Execution;

/// <summary>What a cell produced: a trailing expression's value, compile errors, or a runtime exception.</summary>
public sealed record CellOutcome(object? Value, IReadOnlyList<Diagnostic> CompileErrors, Exception? Exception)
{
    public bool Failed => CompileErrors.Count > 0 || Exception is not null;
}

/// <summary>A C# script session (Roslyn scripting): each cell is a submission that continues the previous one, so
/// variables, types and <c>using</c>s carry across cells. <c>#r "path.dll"</c> and <c>#load</c> resolve relative to
/// <paramref name="baseDirectory"/> (the notebook's folder: Jupyter starts the kernel there).</summary>
public sealed class ScriptSession(string baseDirectory, ScriptGlobals globals)
{
    /// <summary>The namespaces .NET Interactive's C# kernel imports, so a notebook needs the same <c>using</c>s
    /// under both.</summary>
    static readonly string[] DefaultImports = ["System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks"];

    readonly ScriptOptions options = ScriptOptions.Default
        .WithReferences(FrameworkReferences().Append(typeof(ScriptGlobals).Assembly.Location).Select(p => MetadataReference.CreateFromFile(p)))
        .WithImports(DefaultImports)
        .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(baseDirectory))
        .WithSourceResolver(new SourceFileResolver(ImmutableArray<string>.Empty, baseDirectory))
        .WithLanguageVersion(LanguageVersion.Latest)
        .WithOptimizationLevel(OptimizationLevel.Release)
        .WithAllowUnsafe(true)
        // Line numbers in stack traces ("in In[3]:line 4").
        .WithEmitDebugInformation(true);

    ScriptState<object>? state;

    /// <summary>The C# version cells are compiled as (the latest this Roslyn knows), e.g. "14.0".</summary>
    public static string CSharpVersion => Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest.MapSpecifiedToEffectiveVersion().ToDisplayString();

    public string BaseDirectory => baseDirectory;

    /// <summary>The framework's assemblies (the trusted platform assemblies of this runtime), so cells see the
    /// whole base class library as a console app does.</summary>
    static IEnumerable<string> FrameworkReferences() =>
        ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator)
        .Where(p => Path.GetFileName(p) is var n && (n.StartsWith("System.") || n is "mscorlib.dll" or "netstandard.dll" or "Microsoft.CSharp.dll" || n.StartsWith("Microsoft.Win32.")));

    Script<object> Continue(string code, string cellName)
    {
        var o = options.WithFilePath(cellName);
        // From a stream, so the source text has an encoding: Roslyn needs one to emit debug information.
        var source = new MemoryStream(Encoding.UTF8.GetBytes(code));
        return state is null ? CSharpScript.Create(source, o, typeof(ScriptGlobals)) : state.Script.ContinueWith(source, o);
    }

    /// <summary>Compiles and runs one cell. Compile errors leave the session as it was; a runtime exception keeps
    /// what the cell defined before it threw (as a Python kernel does).</summary>
    public async Task<CellOutcome> Execute(string code, string cellName, CancellationToken token)
    {
        var script = Continue(code, cellName);
        var errors = script.Compile(token).Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        if (errors.Length > 0) return new CellOutcome(null, errors, null);
        var next = state is null
            ? await script.RunAsync(globals, _ => true, token)
            : await script.RunFromAsync(state, _ => true, token);
        state = next;
        return new CellOutcome(next.Exception is null ? next.ReturnValue : null, [], next.Exception);
    }

    /// <summary>Names that can follow the cursor: members after <c>expr.</c> (of the expression's type, with
    /// extension methods; of a type or namespace after <c>Type.</c>), otherwise every name in scope (script
    /// variables, locals, globals, types, namespaces). <paramref name="cursor"/> is a UTF-16 index.</summary>
    public (int Start, string[] Matches) Complete(string code, int cursor)
    {
        var start = cursor;
        while (start > 0 && (char.IsLetterOrDigit(code[start - 1]) || code[start - 1] == '_')) start--;
        var prefix = code[start..cursor];
        var compilation = Continue(code, "complete").GetCompilation();
        var tree = compilation.SyntaxTrees.Last();
        var model = compilation.GetSemanticModel(tree);
        IEnumerable<ISymbol> symbols;
        var dot = start > 0 && code[start - 1] == '.' ? tree.GetRoot().FindToken(start - 1) : default;
        if (dot.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access)
        {
            var left = model.GetSymbolInfo(access.Expression).Symbol;
            symbols = left switch
            {
                INamespaceSymbol ns => model.LookupNamespacesAndTypes(start, ns),
                ITypeSymbol type => model.LookupStaticMembers(start, type),
                _ => model.GetTypeInfo(access.Expression).Type is { } t
                    ? model.LookupSymbols(start, t, includeReducedExtensionMethods: true).Where(s => !s.IsStatic || s is IMethodSymbol { MethodKind: MethodKind.ReducedExtension })
                    : [],
            };
        }
        else symbols = model.LookupSymbols(start);
        var names = symbols.Where(s => s.CanBeReferencedByName && s.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(s => s.Name).Distinct().Order(StringComparer.Ordinal).ToArray();
        return (start, names);
    }

    /// <summary>What the name at the cursor is (Jupyter's inspect, shown on Shift+Tab or hover): every overload's
    /// signature for a method, the type and name for a variable, the symbol for anything else; null if nothing.</summary>
    public string? Inspect(string code, int cursor)
    {
        var compilation = Continue(code, "inspect").GetCompilation();
        var tree = compilation.SyntaxTrees.Last();
        var model = compilation.GetSemanticModel(tree);
        var token = tree.GetRoot().FindToken(Math.Max(0, Math.Min(cursor, code.Length) - 1));
        if (token.Parent is not { } node) return null;
        var info = model.GetSymbolInfo(node);
        var symbols = info.Symbol is { } one ? [one] : info.CandidateSymbols.ToArray();
        if (symbols.Length == 0 && model.GetDeclaredSymbol(node) is { } declared) symbols = [declared];
        if (symbols.Length == 1 && symbols[0] is IMethodSymbol && model.GetMemberGroup(node) is { Length: > 1 } group) symbols = group.ToArray();
        var lines = symbols.Select(s => s switch
        {
            ILocalSymbol l => $"{l.Type.ToMinimalDisplayString(model, token.SpanStart)} {l.Name}",
            IFieldSymbol f when f.ContainingType?.IsScriptClass == true => $"{f.Type.ToMinimalDisplayString(model, token.SpanStart)} {f.Name}",
            _ => s.ToMinimalDisplayString(model, token.SpanStart),
        }).Distinct().ToArray();
        return lines.Length == 0 ? null : string.Join("\n", lines);
    }

    /// <summary>Jupyter's is_complete: "complete" when the code parses as a whole submission, "incomplete" while a
    /// block or expression is still open.</summary>
    public static string IsComplete(string code) =>
        SyntaxFactory.IsCompleteSubmission(SyntaxFactory.ParseSyntaxTree(code, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Latest)))
            ? "complete" : "incomplete";

    /// <summary>Compiles and runs a trivial script off the critical path, so the first real cell does not pay for
    /// loading and JIT-compiling Roslyn.</summary>
    public void WarmUp() => CSharpScript.Create("new[] { 1 }.Sum()", options, typeof(ScriptGlobals)).RunAsync(globals).GetAwaiter().GetResult();
}
