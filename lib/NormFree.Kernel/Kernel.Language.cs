using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace NormFree.Kernel;

// complete_request and inspect_request, answered by the engine's language services (Roslyn's completion and quick
// info over the cells run so far).
public sealed partial class Kernel
{
    /// <summary>How long a completion or hover request may take before it is answered with nothing.</summary>
    static readonly TimeSpan LanguageServiceTimeout = TimeSpan.FromSeconds(10);

    JsonObject Complete(Message request)
    {
        var code = request.Text("code") ?? "";
        var cursor = Utf16Index(code, request.Number("cursor_pos", code.Length));
        var start = cursor;
        while (start > 0 && (char.IsLetterOrDigit(code[start - 1]) || code[start - 1] == '_')) start--;
        var prefix = code[start..cursor];
        var completions = Ask<CompletionsProduced>(new RequestCompletions(code, Position(code, cursor)))
            .SelectMany(c => c.Completions)
            // The name itself (InsertText may be a snippet such as "WriteLine($1)").
            .Select(c => c.FilterText ?? c.DisplayText)
            // The engine lists everything in scope; Jupyter expects the names that continue what was typed.
            .Where(t => t.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct().Order(StringComparer.Ordinal);
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(completions.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray()),
            ["cursor_start"] = CodePoints(code, start),
            ["cursor_end"] = CodePoints(code, cursor),
            ["metadata"] = new JsonObject(),
        };
    }

    /// <summary>What the name at the cursor is (Shift+Tab, hover): the engine's hover text (signature and
    /// documentation, as Markdown), with a <c>text/plain</c> copy for front ends that show only text.</summary>
    JsonObject Inspect(Message request)
    {
        var code = request.Text("code") ?? "";
        var cursor = Utf16Index(code, request.Number("cursor_pos", code.Length));
        var data = new JsonObject();
        if (code.Trim().Length > 0)
            foreach (var value in Ask<HoverTextProduced>(new RequestHoverText(code, Position(code, cursor))).SelectMany(h => h.Content))
                data.TryAdd(value.MimeType, value.Value);
        if (data.Count > 0 && !data.ContainsKey("text/plain")) data["text/plain"] = PlainFromMarkdown((string?)data.First().Value ?? "");
        return new JsonObject { ["status"] = "ok", ["found"] = data.Count > 0, ["metadata"] = new JsonObject(), ["data"] = data };
    }

    IEnumerable<T> Ask<T>(KernelCommand request) where T : KernelEvent
    {
        var answer = cells.Engine.Ask(request);
        return answer.Wait(LanguageServiceTimeout) ? answer.Result.Events.OfType<T>() : [];
    }

    /// <summary>Markdown hover text without its code fences.</summary>
    static string PlainFromMarkdown(string markdown) =>
        string.Join("\n", markdown.Split('\n').Where(l => !l.TrimStart().StartsWith("```", StringComparison.Ordinal))).Trim();

    /// <summary>Line and column (from 0, in UTF-16 units) of a UTF-16 index.</summary>
    static LinePosition Position(string code, int index)
    {
        var lineStart = code.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        if (index == 0) lineStart = 0;
        return new LinePosition(code[..index].Count(c => c == '\n'), index - lineStart);
    }

    /// <summary>Jupyter counts cursor positions in Unicode code points (protocol 5.2); .NET strings in UTF-16.</summary>
    static int Utf16Index(string s, int codePoints)
    {
        var i = 0;
        for (var n = 0; n < codePoints && i < s.Length; n++) i += char.IsHighSurrogate(s[i]) && i + 1 < s.Length ? 2 : 1;
        return i;
    }

    static int CodePoints(string s, int utf16Index) => s[..utf16Index].EnumerateRunes().Count();
}
