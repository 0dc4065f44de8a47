using System.Buffers.Binary;
using System.IO.Compression;

namespace NormFree.Data;

/// <summary>Reader for the IDX format of LeCun et al.'s MNIST (also Fashion-MNIST), plain or gzip-compressed:
/// <code>
/// bytes 0–1  zero
/// byte  2    element type: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64
/// byte  3    number of dimensions d
/// then d big-endian int32 sizes, then the elements, row-major, big-endian.
/// </code>
/// Spec: http://yann.lecun.com/exdb/mnist/ ("THE IDX FILE FORMAT").</summary>
public static class Idx
{
    static readonly byte[] GzipMagic = [0x1f, 0x8b];

    /// <summary>Reads an IDX file (gzip detected from its first bytes) into a CPU tensor of its element type and shape.</summary>
    public static Tensor read(string path)
    {
        byte[] bytes;
        bool gzipped;
        try { (bytes, gzipped) = ReadMaybeGzip(path); }
        catch (FileNotFoundException e) { throw new DataFileException($"IDX file not found: {path}", e); }
        catch (InvalidDataException e) { throw new DataFileException($"{path}: corrupt gzip stream ({e.Message})", e); }
        return parse(bytes, gzipped ? $"{path} (after gunzip)" : path);
    }

    static (byte[] bytes, bool gzipped) ReadMaybeGzip(string path)
    {
        using var file = File.OpenRead(path);
        var head = new byte[2];
        var n = file.Read(head, 0, 2);
        file.Position = 0;
        using var memory = new MemoryStream();
        var gzipped = n == 2 && head.AsSpan().SequenceEqual(GzipMagic);
        if (gzipped)
        {
            using var gz = new GZipStream(file, CompressionMode.Decompress);
            gz.CopyTo(memory);
        }
        else file.CopyTo(memory);
        return (memory.ToArray(), gzipped);
    }

    /// <summary>Parses the (decompressed) bytes of an IDX file; <paramref name="name"/> is used in error messages.</summary>
    public static Tensor parse(byte[] bytes, string name)
    {
        if (bytes.Length < 4) throw new DataFileException($"{name}: {bytes.Length} bytes, too short for an IDX header (4 bytes)");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new DataFileException($"{name}: not an IDX file (magic bytes {bytes[0]:x2} {bytes[1]:x2}, expected 00 00)");
        var (dtype, size) = bytes[2] switch
        {
            0x08 => (ScalarType.Byte, 1),
            0x09 => (ScalarType.Int8, 1),
            0x0B => (ScalarType.Int16, 2),
            0x0C => (ScalarType.Int32, 4),
            0x0D => (ScalarType.Float32, 4),
            0x0E => (ScalarType.Float64, 8),
            var t => throw new DataFileException($"{name}: unknown IDX element type 0x{t:x2}"),
        };
        var rank = bytes[3];
        var header = 4 + 4 * rank;
        if (bytes.Length < header) throw new DataFileException($"{name}: truncated header: expected {header} bytes for {rank} dimensions, got {bytes.Length}");
        var shape = new long[rank];
        long count = 1;
        for (var d = 0; d < rank; d++)
        {
            var s = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (s < 0) throw new DataFileException($"{name}: negative size {s} in dimension {d}");
            shape[d] = s;
            count *= s;
        }
        var expected = header + count * size;
        if (bytes.Length != expected)
            throw new DataFileException($"{name}: {(bytes.Length < expected ? "truncated" : "trailing data")}: shape [{string.Join(", ", shape)}] " +
                $"of {dtype} needs {expected} bytes, the file has {bytes.Length}");
        var payload = bytes.AsSpan(header);
        // IDX stores multi-byte elements big-endian; swap them to the machine's order in place.
        if (size > 1 && BitConverter.IsLittleEndian)
            for (var i = 0; i < payload.Length; i += size) payload.Slice(i, size).Reverse();
        // One copy, straight into the tensor's native memory (torch.tensor(array) would clone the array and keep the
        // clone pinned in the managed heap for the tensor's lifetime).
        var result = torch.empty(shape, dtype);
        result.bytes = payload;
        return result;
    }
}
