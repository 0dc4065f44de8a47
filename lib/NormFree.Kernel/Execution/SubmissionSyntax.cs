using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NormFree.Kernel.Execution;

/// <summary>Jupyter's is_complete, answered from the syntax alone (no engine round trip): "complete" when the code
/// parses as a whole script submission, "incomplete" while a block or expression is still open.</summary>
public static class SubmissionSyntax
{
    static readonly CSharpParseOptions Script = CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Latest);

    public static string IsComplete(string code) =>
        SyntaxFactory.IsCompleteSubmission(SyntaxFactory.ParseSyntaxTree(code, Script)) ? "complete" : "incomplete";

    /// <summary>The C# version cells are compiled as (the latest the engine's Roslyn knows), e.g. "14.0".</summary>
    public static string CSharpVersion => LanguageVersion.Latest.MapSpecifiedToEffectiveVersion().ToDisplayString();
}
