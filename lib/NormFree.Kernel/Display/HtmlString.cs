namespace NormFree.Kernel.Display;

/// <summary>HTML to show as is: what <c>HTML("...")</c> returns in a cell (as in .NET Interactive).</summary>
public sealed record HtmlString(string Html)
{
    public override string ToString() => Html;
}
