using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;

namespace NormFree.Kernel.Execution;

/// <summary>An <c>error</c> output: exception name, message and traceback lines (Jupyter's ename, evalue,
/// traceback).</summary>
public sealed partial record ErrorReport(string Name, string Value, IReadOnlyList<string> Traceback)
{
    public static ErrorReport Interrupted() => new("Interrupted", "the cell was interrupted", ["Interrupted: the cell was interrupted"]);

    /// <summary>What the engine reported for a failed cell: compile errors with their position in the cell
    /// (<c>In[3] (2,5): error CS0103: ...</c>), a runtime exception with its stack, or the engine's message (a
    /// package that could not be restored).</summary>
    /// <param name="lineOffset">lines of the cell before the code the engine compiled (<see cref="LinesBefore"/>).</param>
    public static ErrorReport Failed(CommandFailed failed, string cellName, int lineOffset) => failed.Exception switch
    {
        CodeSubmissionCompilationErrorException => Compilation(cellName, failed.Message, lineOffset),
        { } e => Runtime(e, cellName, lineOffset),
        null => new("Error", failed.Message, failed.Message.Split('\n')),
    };

    /// <summary>Compile errors, one a line as Roslyn writes them (<c>(2,5): error CS0103: ...</c>: line and column
    /// from 1), each prefixed with the cell's name, lines counted in the cell (<paramref name="lineOffset"/>: the
    /// lines before the compiled code).</summary>
    static ErrorReport Compilation(string cellName, string message, int lineOffset)
    {
        var lines = message.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)
            .Select(l => $"{cellName} {Position().Replace(l, m => $"({int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + lineOffset},", 1)}").ToArray();
        return new("CompilationError", lines.FirstOrDefault() ?? $"{cellName}: compilation failed", lines);
    }

    [GeneratedRegex(@"^\((\d+),")]
    private static partial Regex Position();

    /// <summary>The engine compiles a cell without its directive lines (<c>#r "nuget: ..."</c>), so Roslyn counts
    /// lines from the first line of C#: how many lines of the cell come before the code it compiled.</summary>
    public static int LinesBefore(string? compiled, string cellCode)
    {
        if (string.IsNullOrEmpty(compiled) || compiled == cellCode) return 0;
        var code = compiled.TrimStart('\r', '\n');
        var at = cellCode.IndexOf(code, StringComparison.Ordinal);
        // Roslyn counts from the compiled text's first line, blank lines it starts with included.
        return at <= 0 ? 0 : Math.Max(0, cellCode.AsSpan(0, at).Count('\n') - compiled.AsSpan(0, compiled.Length - code.Length).Count('\n'));
    }

    /// <summary>A runtime exception: type name, message, and the stack without the engine's frames. With the cell
    /// known, frames of its code name it and the line in the cell (<c>at Fail() in In[4], line 3</c>); frames of
    /// code defined in an earlier cell keep the line within that cell's compiled code.</summary>
    public static ErrorReport Runtime(Exception e, string? cellName = null, int lineOffset = 0)
    {
        while (e is TargetInvocationException { InnerException: { } inner }) e = inner;
        if (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        var lines = e.ToString().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !IsHostFrame(l)).ToList();
        // The cell's own submission is the one whose script body (<<Initialize>>) is on the stack: the outermost.
        var current = lines.Select(l => CellFrame().Match(l)).LastOrDefault(m => m.Success && m.Groups["member"].Value.StartsWith("<<Initialize>>", StringComparison.Ordinal));
        if (cellName is not null && current is not null)
            lines = [.. lines.Select(l => CellFrame().Replace(l, m =>
            {
                var line = int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture);
                var member = m.Groups["member"].Value.StartsWith("<<Initialize>>", StringComparison.Ordinal) ? "" : $"{m.Groups["member"].Value} in ";
                return m.Groups["submission"].Value == current.Groups["submission"].Value
                    ? $"{m.Groups["indent"].Value}at {member}{cellName}, line {line + lineOffset}"
                    : $"{m.Groups["indent"].Value}at {member}an earlier cell (Submission#{m.Groups["submission"].Value}), line {line} of its code";
            }))];
        return new(e.GetType().Name, e.Message, lines);
    }

    /// <summary>A stack frame of a cell's compiled code: <c>   at Submission#4.Fail() in :line 3</c>.</summary>
    [GeneratedRegex(@"^(?<indent>\s*)at Submission#(?<submission>\d+)\.(?<member>.+?) in :line (?<line>\d+)$")]
    private static partial Regex CellFrame();

    static bool IsHostFrame(string line)
    {
        var t = line.TrimStart();
        return t.StartsWith("--- End of stack trace", StringComparison.Ordinal)
            || t.StartsWith("at Microsoft.CodeAnalysis.", StringComparison.Ordinal)
            || t.StartsWith("at Microsoft.DotNet.Interactive.", StringComparison.Ordinal)
            || t.StartsWith("at System.Runtime.CompilerServices", StringComparison.Ordinal)
            || t.StartsWith("at System.Runtime.ExceptionServices", StringComparison.Ordinal)
            || t.StartsWith("at System.Threading.", StringComparison.Ordinal)
            || t.StartsWith("at NormFree.Kernel.", StringComparison.Ordinal);
    }
}
