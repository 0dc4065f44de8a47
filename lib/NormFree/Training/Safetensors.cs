using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace NormFree.Training;

/// <summary>One tensor's entry in a safetensors header: dtype, shape and its [begin, end) byte range in the buffer.</summary>
public sealed record SafetensorsEntry(string Name, ScalarType ScalarType, long[] Shape, long Begin, long End);

/// <summary>The safetensors format (huggingface/safetensors, README "Format"), named as its Python API
/// (<c>save_file</c>, <c>load_file</c>, <c>safe_open(...).metadata()</c>):
/// <code>
/// 8 bytes        N, an unsigned little-endian 64-bit integer: the header's size
/// N bytes        UTF-8 JSON: {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
///                             "__metadata__": {"key": "value", ...}}   (metadata optional, string values only)
///                may end in spaces (0x20) so the buffer starts 8-byte aligned
/// rest           the byte buffer: each tensor's elements, row-major, little-endian; offsets are relative to the
///                buffer's start, and the entries tile it without holes or overlaps
/// </code>
/// Files written here sort tensors by element size (largest first) then name, as the reference writer does, so every
/// tensor starts aligned to its element size. Errors in a file raise <see cref="InvalidDataException"/> naming the
/// file and what was expected.
/// <para>Why this is kept beside TorchSharp.PyBridge (whose <c>save_safetensors</c>/<c>load_safetensors</c> read and
/// write a module's weights in the same format): PyBridge 1.4.4 writes no <c>__metadata__</c> and skips it when reading,
/// so it cannot carry a checkpoint's epoch, history, config and generator states; it writes arbitrary named tensors only
/// from a state dict, without the alignment padding; and it reads a header without checking it, so a truncated or
/// corrupt file fails with whatever stream or JSON error comes first instead of one that names the file and the
/// problem. Files written here load with PyBridge's <c>load_safetensors</c> and with Python's <c>safetensors</c>.</para></summary>
public static class Safetensors
{
    /// <summary>The reference implementation's limit on N (safetensors/src/tensor.rs, MAX_HEADER_SIZE).</summary>
    const long MaxHeaderSize = 100_000_000;
    const string MetadataKey = "__metadata__";

    static readonly (ScalarType ScalarType, string Name)[] DTypeNames =
    [
        (ScalarType.Float64, "F64"), (ScalarType.Float32, "F32"), (ScalarType.Float16, "F16"), (ScalarType.BFloat16, "BF16"),
        (ScalarType.Int64, "I64"), (ScalarType.Int32, "I32"), (ScalarType.Int16, "I16"), (ScalarType.Int8, "I8"),
        (ScalarType.Byte, "U8"), (ScalarType.Bool, "BOOL"),
    ];

    public static string DTypeName(ScalarType dtype)
    {
        foreach (var (d, name) in DTypeNames)
            if (d == dtype) return name;
        throw new ArgumentException($"dtype {dtype} has no safetensors name");
    }

    /// <summary>Writes <paramref name="tensors"/> (any device; copied to the CPU) and optional string metadata to
    /// <paramref name="path"/>. The file appears whole or not at all: it is written beside the target and renamed.</summary>
    public static void save_file(IEnumerable<KeyValuePair<string, Tensor>> tensors, string path,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var items = tensors.ToList();
        var names = new HashSet<string>();
        foreach (var (name, _) in items)
        {
            if (name == MetadataKey) throw new ArgumentException($"'{MetadataKey}' is reserved for the metadata, not a tensor name");
            if (!names.Add(name)) throw new ArgumentException($"tensor name '{name}' appears twice");
        }
        items.Sort((a, b) =>
        {
            var bySize = b.Value.dtype.ElementSize().CompareTo(a.Value.dtype.ElementSize());
            return bySize != 0 ? bySize : string.CompareOrdinal(a.Key, b.Key);
        });

        var header = new MemoryStream();
        var entries = new List<(Tensor Tensor, long Length)>();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, t) in items)
            {
                var length = t.numel() * t.dtype.ElementSize();
                json.WriteStartObject(name);
                json.WriteString("dtype", DTypeName(t.dtype));
                json.WriteStartArray("shape");
                foreach (var d in t.shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + length);
                json.WriteEndArray();
                json.WriteEndObject();
                entries.Add((t, length));
                offset += length;
            }
            json.WriteEndObject();
        }
        // Pad with spaces so 8 + N is a multiple of 8 (the buffer then starts 8-byte aligned).
        while (header.Length % 8 != 0) header.WriteByte((byte)' ');

        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            Span<byte> size = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(size, (ulong)header.Length);
            file.Write(size);
            header.Position = 0;
            header.CopyTo(file);
            foreach (var (t, _) in entries)
            {
                if (t.numel() == 0) continue;
                using var scope = torch.NewDisposeScope();
                var cpu = t.detach().to(torch.CPU).contiguous();   // .bytes reads CPU, contiguous memory only
                file.Write(cpu.bytes);
            }
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Every tensor in the file, by name, on <paramref name="device"/> (CPU by default). The caller owns
    /// the tensors.</summary>
    public static Dictionary<string, Tensor> load_file(string path, Device? device = null)
    {
        var (entries, _, bufferStart) = ReadHeader(path);
        var result = new Dictionary<string, Tensor>();
        try
        {
            using var file = OpenRead(path);
            foreach (var e in entries)
            {
                if (e.End - e.Begin > int.MaxValue)
                    throw new NotSupportedException($"'{path}': tensor '{e.Name}' has {e.End - e.Begin} bytes; tensors over 2 GiB are not supported");
                var t = torch.empty(e.Shape, e.ScalarType);
                result[e.Name] = t;
                if (e.End > e.Begin)
                {
                    file.Position = bufferStart + e.Begin;
                    file.ReadExactly(t.bytes);   // straight into the tensor's memory
                }
                if (device is not null && device.type != DeviceType.CPU)
                {
                    result[e.Name] = t.to(device);
                    t.Dispose();
                }
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>The file's <c>__metadata__</c> (empty when it has none), reading only the header.</summary>
    public static Dictionary<string, string> metadata(string path) => ReadHeader(path).Metadata;

    /// <summary>The header's tensor entries in buffer order, reading only the header.</summary>
    public static IReadOnlyList<SafetensorsEntry> entries(string path) => ReadHeader(path).Entries;

    static FileStream OpenRead(string path)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read); }
        catch (FileNotFoundException) { throw new FileNotFoundException($"no safetensors file at '{path}'", path); }
    }

    static InvalidDataException Corrupt(string path, string what) =>
        new($"'{path}' is not a valid safetensors file: {what}");

    /// <summary>Parses and checks the header: sizes, dtypes, shapes and that the entries tile the buffer.</summary>
    static (List<SafetensorsEntry> Entries, Dictionary<string, string> Metadata, long BufferStart) ReadHeader(string path)
    {
        using var file = OpenRead(path);
        var fileLength = file.Length;
        if (fileLength < 8) throw Corrupt(path, $"{fileLength} bytes, expected at least the 8-byte header size");
        Span<byte> size = stackalloc byte[8];
        file.ReadExactly(size);
        var n = BinaryPrimitives.ReadUInt64LittleEndian(size);
        if (n > MaxHeaderSize) throw Corrupt(path, $"header size {n} exceeds the format's limit of {MaxHeaderSize} bytes");
        if (8 + (long)n > fileLength) throw Corrupt(path, $"header size {n} runs past the end of the {fileLength}-byte file (truncated?)");
        var header = new byte[n];
        file.ReadExactly(header);
        var bufferLength = fileLength - 8 - (long)n;

        JsonDocument doc;
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(header);
            if (!text.StartsWith('{')) throw Corrupt(path, "header does not start with '{'");
            doc = JsonDocument.Parse(text);
        }
        catch (Exception e) when (e is JsonException or DecoderFallbackException)
        {
            throw Corrupt(path, $"header is not UTF-8 JSON ({e.Message})");
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Corrupt(path, "header is not a JSON object");
            var entries = new List<SafetensorsEntry>();
            var metadata = new Dictionary<string, string>();
            var seen = new HashSet<string>();
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name)) throw Corrupt(path, $"key '{property.Name}' appears twice");
                if (property.Name == MetadataKey) ReadMetadata(path, property.Value, metadata);
                else entries.Add(ReadEntry(path, property.Name, property.Value));
            }
            entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            long expected = 0;
            foreach (var e in entries)
            {
                if (e.Begin != expected) throw Corrupt(path, $"'{e.Name}' starts at byte {e.Begin} of the buffer, expected {expected} (entries must tile the buffer without holes or overlaps)");
                expected = e.End;
            }
            if (expected != bufferLength)
                throw Corrupt(path, $"the entries cover {expected} bytes but the buffer holds {bufferLength} (truncated or padded file?)");
            return (entries, metadata, 8 + (long)n);
        }
    }

    static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Corrupt(path, $"'{MetadataKey}' must be an object of strings");
        foreach (var m in value.EnumerateObject())
        {
            if (m.Value.ValueKind != JsonValueKind.String) throw Corrupt(path, $"metadata '{m.Name}' is not a string");
            metadata[m.Name] = m.Value.GetString()!;
        }
    }

    static SafetensorsEntry ReadEntry(string path, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Corrupt(path, $"entry '{name}' is not an object");
        if (!value.TryGetProperty("dtype", out var dtypeText) || dtypeText.ValueKind != JsonValueKind.String)
            throw Corrupt(path, $"entry '{name}' has no string \"dtype\"");
        var dtypeName = dtypeText.GetString();
        var match = Array.FindIndex(DTypeNames, d => d.Name == dtypeName);
        if (match < 0) throw Corrupt(path, $"entry '{name}' has dtype '{dtypeName}', expected one of {string.Join(", ", DTypeNames.Select(d => d.Name))}");
        var dtype = DTypeNames[match].ScalarType;
        var shape = ReadIntegers(path, name, value, "shape");
        var offsets = ReadIntegers(path, name, value, "data_offsets");
        if (offsets.Length != 2 || offsets[0] > offsets[1])
            throw Corrupt(path, $"entry '{name}' data_offsets must be [begin, end] with begin ≤ end");
        long bytes;
        try { bytes = shape.Aggregate((long)dtype.ElementSize(), (product, d) => checked(product * d)); }
        catch (OverflowException) { throw Corrupt(path, $"entry '{name}' shape [{string.Join(", ", shape)}] is too large"); }
        if (offsets[1] - offsets[0] != bytes)
            throw Corrupt(path, $"entry '{name}' ({dtypeName} [{string.Join(", ", shape)}]) needs {bytes} bytes, its offsets span {offsets[1] - offsets[0]}");
        return new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    static long[] ReadIntegers(string path, string name, JsonElement value, string field)
    {
        if (!value.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
            throw Corrupt(path, $"entry '{name}' has no \"{field}\" array");
        var result = new long[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var v) || v < 0)
                throw Corrupt(path, $"entry '{name}' \"{field}\" holds {item}, expected non-negative integers");
            result[i++] = v;
        }
        return result;
    }
}
