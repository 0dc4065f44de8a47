using NormFree.Notebooks;

namespace NormFree.Tests.Notebooks;

public class StepTimerTests
{
    [Fact]
    public void Each_step_is_recorded_once_in_order_and_printed_as_it_ends()
    {
        var log = new StringWriter();
        var timer = new StepTimer(log);
        using (timer.Step("first")) { }
        var second = timer.Step("second");
        second.Dispose();
        second.Dispose(); // a second dispose records nothing
        Assert.Equal(["first", "second"], timer.Steps.Select(s => s.Name));
        Assert.All(timer.Steps, s => Assert.True(s.WallSeconds >= 0 && s.CpuSeconds >= 0));
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^\[first\] \d+\.\d s wall, \d+\.\d s CPU$", lines[0].TrimEnd('\r'));
    }

    [Fact]
    public void The_table_ends_with_the_total_of_the_steps()
    {
        var timer = new StepTimer(TextWriter.Null);
        using (timer.Step("a")) { }
        using (timer.Step("b")) { }
        var table = timer.ToTable();
        Assert.Equal(["step", "wall s", "CPU s"], table.Columns);
        Assert.Equal(["a", "b", "total"], table.Rows.Select(r => r[0]));
        Assert.Equal(timer.Steps.Sum(s => s.WallSeconds), timer.TotalWallSeconds);
        var formats = FormatterConventionTests.FormatByConvention(timer);
        Assert.Contains("<td style=\"text-align:left\">total</td>", formats["text/html"]);
    }

    [Fact]
    public void A_step_needs_a_name()
    {
        var timer = new StepTimer(TextWriter.Null);
        Assert.Throws<ArgumentException>(() => timer.Step(" "));
    }
}
