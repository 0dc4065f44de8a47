using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NormFree.Kernel.Protocol;

/// <summary>The wire format (messaging docs, "The Wire Protocol"): routing identities, the delimiter
/// <c>&lt;IDS|MSG&gt;</c>, the HMAC-SHA256 signature in lower-case hex over the four JSON frames, then header,
/// parent header, metadata, content and any buffers. An empty key means unsigned messages.</summary>
public sealed class Wire(string key)
{
    static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();
    readonly byte[] key = Encoding.UTF8.GetBytes(key);

    public List<byte[]> Encode(Message message)
    {
        byte[][] parts =
        [
            Json(message.Header), Json(message.ParentHeader), Json(message.Metadata), Json(message.Content),
        ];
        var frames = new List<byte[]>(message.Identities) { Delimiter, Encoding.ASCII.GetBytes(Sign(parts)) };
        frames.AddRange(parts);
        frames.AddRange(message.Buffers);
        return frames;
    }

    /// <summary>Parses a received multipart message; throws <see cref="InvalidDataException"/> if it is malformed
    /// or its signature does not match.</summary>
    public Message Decode(IReadOnlyList<byte[]> frames)
    {
        var d = 0;
        while (d < frames.Count && !frames[d].AsSpan().SequenceEqual(Delimiter)) d++;
        if (frames.Count < d + 6) throw new InvalidDataException($"malformed message: {frames.Count} frames, delimiter at {d}");
        var parts = frames.Skip(d + 2).Take(4).ToArray();
        var expected = Encoding.ASCII.GetBytes(Sign(parts));
        if (key.Length > 0 && !CryptographicOperations.FixedTimeEquals(expected, frames[d + 1]))
            throw new InvalidDataException("message signature does not match the connection file's key");
        return new Message(frames.Take(d).ToArray(), Parse(parts[0]), Parse(parts[1]), Parse(parts[2]), Parse(parts[3]),
            frames.Skip(d + 6).ToArray());
    }

    string Sign(byte[][] parts)
    {
        if (key.Length == 0) return "";
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        foreach (var p in parts) hmac.AppendData(p);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    // Relaxed escaping keeps SVG and HTML readable ('<' stays '<'); the frames are JSON, never embedded in HTML.
    static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static byte[] Json(JsonObject o) => Encoding.UTF8.GetBytes(o.ToJsonString(JsonOptions));

    static JsonObject Parse(byte[] frame) => frame.Length == 0 ? [] : JsonNode.Parse(frame) as JsonObject ?? [];
}
