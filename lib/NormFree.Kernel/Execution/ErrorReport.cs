using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace NormFree.Kernel.Execution;

/// <summary>An <c>error</c> output: exception name, message and traceback lines (Jupyter's ename, evalue,
/// traceback).</summary>
public sealed partial record ErrorReport(string Name, string Value, IReadOnlyList<string> Traceback)
{
    public static ErrorReport Interrupted() => new("Interrupted", "the cell was interrupted", ["Interrupted: the cell was interrupted"]);

    /// <summary>Compile errors with their position in the cell: <c>In[3] (2,5): error CS0103: ...</c>.</summary>
    public static ErrorReport Compilation(string cellName, IReadOnlyList<Diagnostic> errors)
    {
        var lines = errors.Select(d =>
        {
            var p = d.Location.GetLineSpan().StartLinePosition;
            return $"{cellName} ({p.Line + 1},{p.Character + 1}): error {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}";
        }).ToArray();
        return new("CompilationError", lines[0], lines);
    }

    /// <summary>A runtime exception: type name, message, and the stack without the scripting host's frames.</summary>
    public static ErrorReport Runtime(Exception e)
    {
        while (e is TargetInvocationException { InnerException: { } inner }) e = inner;
        if (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        var lines = e.ToString().Split('\n').Select(l => CellPath().Replace(l.TrimEnd('\r'), " in $1:line"))
            .Where(l => !IsHostFrame(l)).ToList();
        return new(e.GetType().Name, e.Message, lines);
    }

    /// <summary>A cell's frames read "in /notebook/folder/In[3]:line 4"; the folder is noise.</summary>
    [GeneratedRegex(@" in \S*?(In\[\d+\]):line")]
    private static partial Regex CellPath();

    static bool IsHostFrame(string line)
    {
        var t = line.TrimStart();
        return t.StartsWith("--- End of stack trace", StringComparison.Ordinal)
            || t.StartsWith("at Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal)
            || t.StartsWith("at System.Runtime.CompilerServices", StringComparison.Ordinal)
            || t.StartsWith("at System.Runtime.ExceptionServices", StringComparison.Ordinal)
            || t.StartsWith("at NormFree.Kernel.", StringComparison.Ordinal);
    }
}
