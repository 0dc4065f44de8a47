using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace NormFree.Kernel;

// The engine's events that become outputs while a cell runs (the result and the error come with the cell's end).
public sealed partial class Kernel
{
    /// <summary>Called on the engine's threads. Never writes to <c>Console</c>: during a submission the engine
    /// redirects it, and what this wrote would come back as another event.</summary>
    void OnEngineEvent(KernelEvent e)
    {
        switch (e)
        {
            case StandardOutputValueProduced o: stdout.Write(Text(o)); break;
            case StandardErrorValueProduced o: stderr.Write(Text(o)); break;
            case ErrorProduced o: stderr.Write(o.Message + "\n"); break;
            case DisplayedValueProduced d: PublishDisplay("display_data", d.ValueId, MimeBundle.From(d.FormattedValues, d.Value)); break;
            case DisplayedValueUpdated d: PublishDisplay("update_display_data", d.ValueId, MimeBundle.From(d.FormattedValues, d.Value)); break;
        }
    }

    static string Text(DisplayEvent e) =>
        (e.FormattedValues.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType) ?? e.FormattedValues.FirstOrDefault())?.Value ?? "";
}
