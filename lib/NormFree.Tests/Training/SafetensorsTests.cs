using System.Buffers.Binary;
using System.Text;
using NormFree.Tests.Data;
using NormFree.Training;

namespace NormFree.Tests.Training;

public sealed class SafetensorsTests : IDisposable
{
    readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    string PathOf(string name) => folder.File(name);

    [Fact]
    public void RoundTripKeepsEveryDTypeShapeAndValue()
    {
        using var g = new Generator(7);
        var tensors = new Dictionary<string, Tensor>
        {
            ["conv.weight"] = torch.randn([4, 3, 3, 3], generator: g),
            ["fc.weight"] = torch.randn([10, 5], ScalarType.Float64, generator: g),
            ["steps"] = torch.tensor(new long[] { long.MinValue, -1, 0, long.MaxValue }),
            ["ints"] = torch.tensor(new[] { -7, 0, 123456 }, [3, 1]),
            ["pixels"] = torch.tensor(new byte[] { 0, 1, 255, 128, 7, 9 }, [2, 3]),
            ["mask"] = torch.tensor(new[] { true, false, true }),
            ["scalar"] = torch.tensor(2.5),
            ["empty"] = torch.zeros([0, 4]),
            ["half"] = torch.randn([3, 2], generator: g).to(ScalarType.Float16),
        };
        var file = PathOf("all.safetensors");
        var metadata = new Dictionary<string, string> { ["epoch"] = "3", ["note"] = "ünïcode ✓" };
        Safetensors.save_file(tensors, file, metadata);

        var loaded = Safetensors.load_file(file);
        Assert.Equal(tensors.Keys.Order(), loaded.Keys.Order());
        foreach (var (name, t) in tensors)
        {
            Assert.Equal(t.dtype, loaded[name].dtype);
            Assert.Equal(t.shape, loaded[name].shape);
            Assert.Equal(t.bytes.ToArray(), loaded[name].bytes.ToArray());
        }
        Assert.Equal(metadata, Safetensors.metadata(file));
        // The header is padded so the buffer starts 8-byte aligned, and tensors are aligned to their element size.
        var n = BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(file).AsSpan(0, 8));
        Assert.Equal(0UL, (8 + n) % 8);
        foreach (var e in Safetensors.entries(file)) Assert.Equal(0, e.Begin % e.ScalarType.ElementSize());
        foreach (var t in tensors.Values.Concat(loaded.Values)) t.Dispose();
    }

    [Fact]
    public void FileLaidOutByHandFromTheSpecLoads()
    {
        // Two tensors written byte by byte as the format's README describes: an 8-byte little-endian header size,
        // the JSON header (no padding here), then the buffer. "b" comes first in the buffer though listed second.
        var json = "{\"__metadata__\":{\"format\":\"pt\"},"
                 + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[8,24]},"
                 + "\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}";
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new List<byte>();
        bytes.AddRange(BitConverter.GetBytes((ulong)header.Length)); // the test machine is little-endian
        bytes.AddRange(header);
        bytes.AddRange([0x2A, 0, 0, 0, 0, 0, 0, 0]);                 // b = 42
        bytes.AddRange([0x00, 0x00, 0x80, 0x3F]);                     // a[0,0] = 1.0f
        bytes.AddRange([0x00, 0x00, 0x00, 0x40]);                     // a[0,1] = 2.0f
        bytes.AddRange([0x00, 0x00, 0x40, 0xC0]);                     // a[1,0] = -3.0f
        bytes.AddRange([0x00, 0x00, 0x00, 0x3F]);                     // a[1,1] = 0.5f
        Assert.True(BitConverter.IsLittleEndian);
        var file = PathOf("by-hand.safetensors");
        File.WriteAllBytes(file, bytes.ToArray());

        var loaded = Safetensors.load_file(file);
        Assert.Equal([2L, 2], loaded["a"].shape);
        Assert.Equal([1f, 2f, -3f, 0.5f], loaded["a"].data<float>());
        Assert.Equal([42L], loaded["b"].data<long>());
        Assert.Equal("pt", Safetensors.metadata(file)["format"]);
        foreach (var t in loaded.Values) t.Dispose();
    }

    [Fact]
    public void SpacePaddedHeaderLoads()
    {
        var header = Encoding.UTF8.GetBytes("{\"x\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[0,3]}}    ");
        var file = PathOf("padded.safetensors");
        File.WriteAllBytes(file, [.. BitConverter.GetBytes((ulong)header.Length), .. header, 5, 6, 7]);
        var loaded = Safetensors.load_file(file);
        Assert.Equal(new byte[] { 5, 6, 7 }, loaded["x"].data<byte>().ToArray());
        loaded["x"].Dispose();
    }

    [Fact]
    public void TruncatedFileNamesTheFile()
    {
        using var t = torch.randn([16, 16]);
        var file = PathOf("truncated.safetensors");
        Safetensors.save_file(new Dictionary<string, Tensor> { ["w"] = t }, file);
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..^10]);
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.load_file(file));
        Assert.Contains(file, e.Message);
        Assert.Contains("truncated", e.Message);

        File.WriteAllBytes(file, bytes[..20]);   // cut inside the header
        e = Assert.Throws<InvalidDataException>(() => Safetensors.load_file(file));
        Assert.Contains(file, e.Message);
        File.WriteAllBytes(file, bytes[..5]);    // not even the size field
        e = Assert.Throws<InvalidDataException>(() => Safetensors.load_file(file));
        Assert.Contains(file, e.Message);
    }

    [Theory]
    [InlineData("{\"x\":{\"dtype\":\"F17\",\"shape\":[1],\"data_offsets\":[0,4]}}", "dtype 'F17'")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", "needs 8 bytes")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "without holes")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[1]}}", "data_offsets")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}", "not UTF-8 JSON")]
    [InlineData("[1, 2]", "does not start with '{'")]
    [InlineData("{\"__metadata__\":{\"epoch\":3},\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "not a string")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "twice")]
    public void CorruptHeaderNamesTheFileAndTheProblem(string json, string expected)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var file = PathOf("corrupt.safetensors");
        File.WriteAllBytes(file, [.. BitConverter.GetBytes((ulong)header.Length), .. header, 0, 0, 0, 0]);
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.load_file(file));
        Assert.Contains(file, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void HugeHeaderSizeIsRejectedBeforeReading()
    {
        var file = PathOf("huge.safetensors");
        File.WriteAllBytes(file, [.. BitConverter.GetBytes(ulong.MaxValue), (byte)'{']);
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.metadata(file));
        Assert.Contains(file, e.Message);
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        var file = PathOf("absent.safetensors");
        var e = Assert.Throws<FileNotFoundException>(() => Safetensors.load_file(file));
        Assert.Contains(file, e.Message);
    }

    [Fact]
    public void BadNamesAreRejectedOnSave()
    {
        using var t = torch.zeros([1]);
        Assert.Throws<ArgumentException>(() => Safetensors.save_file([new("__metadata__", t)], PathOf("x.safetensors")));
        Assert.Throws<ArgumentException>(() => Safetensors.save_file([new("a", t), new("a", t)], PathOf("x.safetensors")));
    }
}
