using System.Text.Json.Nodes;

namespace NormFree.Kernel.Protocol;

/// <summary>A Jupyter message (messaging protocol 5.3): the routing identities it came with, header, parent header,
/// metadata and content; binary buffers are kept but unused.</summary>
public sealed record Message(IReadOnlyList<byte[]> Identities, JsonObject Header, JsonObject ParentHeader,
    JsonObject Metadata, JsonObject Content, IReadOnlyList<byte[]> Buffers)
{
    public const string ProtocolVersion = "5.3";

    public string Type => (string?)Header["msg_type"] ?? "";

    public string? Text(string contentKey) => Content[contentKey] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public bool Flag(string contentKey, bool fallback) => Content[contentKey] is JsonValue v && v.TryGetValue(out bool b) ? b : fallback;

    public int Number(string contentKey, int fallback) => Content[contentKey] is JsonValue v && v.TryGetValue(out int n) ? n : fallback;

    /// <summary>A new header for a message sent by this kernel.</summary>
    public static JsonObject NewHeader(string msgType, string session) => new()
    {
        ["msg_id"] = Guid.NewGuid().ToString(),
        ["session"] = session,
        ["username"] = "kernel",
        // ISO 8601 with at most 6 fractional digits: jupyter_client's date pattern accepts no more.
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'"),
        ["msg_type"] = msgType,
        ["version"] = ProtocolVersion,
    };
}
