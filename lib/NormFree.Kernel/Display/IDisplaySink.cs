using System.Text.Json.Nodes;

namespace NormFree.Kernel.Display;

/// <summary>Where displayed outputs go: the kernel publishes them on iopub as <c>display_data</c> and
/// <c>update_display_data</c> carrying the display id.</summary>
public interface IDisplaySink
{
    void Display(string displayId, JsonObject data);
    void Update(string displayId, JsonObject data);
}
