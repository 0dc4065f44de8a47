using NormFree.Kernel.Execution;

namespace NormFree.Tests.Kernel;

public class ErrorReportTests
{
    [Theory]
    [InlineData("var a = 1;", "var a = 1;", 0)]
    [InlineData("#r \"nuget: X, 1.0\"\nvar a = 1;", "var a = 1;", 1)]
    [InlineData("#r \"nuget: X, 1.0\"\n#r \"nuget: Y, 1.0\"\n\nvar a = 1;", "\nvar a = 1;", 2)]
    [InlineData("var a = 1;", null, 0)]
    public void Lines_before_the_compiled_code_are_counted_in_the_cell(string cell, string? compiled, int expected) =>
        Assert.Equal(expected, ErrorReport.LinesBefore(compiled, cell));

    [Fact]
    public void A_runtime_error_keeps_the_cells_frames_and_drops_the_engines()
    {
        Exception caught;
        try { throw new InvalidOperationException("boom"); }
        catch (Exception e) { caught = e; }
        var report = ErrorReport.Runtime(new System.Reflection.TargetInvocationException(caught));
        Assert.Equal(("InvalidOperationException", "boom"), (report.Name, report.Value));
        Assert.StartsWith("System.InvalidOperationException: boom", report.Traceback[0]);
        Assert.Contains(report.Traceback, l => l.Contains(nameof(A_runtime_error_keeps_the_cells_frames_and_drops_the_engines)));
    }
}
