using System.IO.Compression;
using NormFree.Data;

namespace NormFree.Tests.Data;

public class IdxTests
{
    /// <summary>An IDX file laid out by hand from the format's description: 00 00, type, rank, big-endian sizes, data.</summary>
    static byte[] IdxBytes(byte type, int[] dims, byte[] payload)
    {
        var bytes = new List<byte> { 0, 0, type, (byte)dims.Length };
        foreach (var d in dims) bytes.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        bytes.AddRange(payload);
        return bytes.ToArray();
    }

    static void WriteGzip(string path, byte[] bytes)
    {
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(bytes);
    }

    [Fact]
    public void ReadsPlainUInt8Images()
    {
        using var dir = new TempFolder();
        var path = dir.File("images-idx3-ubyte");
        File.WriteAllBytes(path, IdxBytes(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]));
        using var t = Idx.read(path);
        Assert.Equal(ScalarType.Byte, t.dtype);
        Assert.Equal([2L, 2, 3], t.shape);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255 }, t.data<byte>());
    }

    [Fact]
    public void ReadsGzippedBigEndianInt32AndFloat()
    {
        using var dir = new TempFolder();
        var ints = dir.File("ints.gz");
        WriteGzip(ints, IdxBytes(0x0C, [2], [0x00, 0x00, 0x01, 0x02, 0xFF, 0xFF, 0xFF, 0xFE]));
        using (var t = Idx.read(ints)) Assert.Equal([258, -2], t.data<int>());
        var floats = dir.File("floats.gz");
        WriteGzip(floats, IdxBytes(0x0D, [1, 1], [0x3F, 0xC0, 0x00, 0x00]));   // 1.5f big-endian
        using (var t = Idx.read(floats))
        {
            Assert.Equal([1L, 1], t.shape);
            Assert.Equal([1.5f], t.data<float>());
        }
    }

    [Fact]
    public void TruncatedFileNamesTheFileAndTheByteCounts()
    {
        using var dir = new TempFolder();
        var path = dir.File("short-idx3-ubyte");
        var full = IdxBytes(0x08, [3, 4, 4], new byte[48]);
        File.WriteAllBytes(path, full[..^5]);
        var e = Assert.Throws<DataFileException>(() => Idx.read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains($"{full.Length} bytes", e.Message);
        Assert.Contains($"has {full.Length - 5}", e.Message);
        var gz = dir.File("short.gz");
        WriteGzip(gz, full[..^5]);
        e = Assert.Throws<DataFileException>(() => Idx.read(gz));
        Assert.Contains(gz, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void RejectsBadMagicTypeAndMissingFiles()
    {
        using var dir = new TempFolder();
        var bad = dir.File("bad");
        File.WriteAllBytes(bad, [1, 0, 8, 1, 0, 0, 0, 0]);
        Assert.Contains("magic", Assert.Throws<DataFileException>(() => Idx.read(bad)).Message);
        File.WriteAllBytes(bad, IdxBytes(0x07, [1], [0]));
        Assert.Contains("element type", Assert.Throws<DataFileException>(() => Idx.read(bad)).Message);
        File.WriteAllBytes(bad, IdxBytes(0x08, [2], [1, 2, 3]));
        Assert.Contains("trailing", Assert.Throws<DataFileException>(() => Idx.read(bad)).Message);
        var missing = dir.File("nope.gz");
        Assert.Contains(missing, Assert.Throws<DataFileException>(() => Idx.read(missing)).Message);
    }

    [Fact]
    public void MnistLayoutLoadsFromAFolderOfHandWrittenFiles()
    {
        using var dir = new TempFolder();
        var pixels = Enumerable.Range(0, 3 * 28 * 28).Select(i => (byte)(i % 256)).ToArray();
        WriteGzip(dir.File(MnistFamily.ImagesFile(train: false)), IdxBytes(0x08, [3, 28, 28], pixels));
        WriteGzip(dir.File(MnistFamily.LabelsFile(train: false)), IdxBytes(0x08, [3], [7, 0, 9]));
        using var ds = Datasets.Mnist.load(train: false, root: dir.Path);
        Assert.Equal(3, ds.Count);
        Assert.Equal([3L, 1, 28, 28], ds.inputs.shape);
        Assert.Equal([7L, 0, 9], ds.targets.data<long>());
        using var second = ds.inputs[1];
        Assert.Equal(pixels[784..1568], second.contiguous().data<byte>());
    }

    [Fact]
    public void MnistLayoutReportsMismatchesAndMissingFiles()
    {
        using var dir = new TempFolder();
        WriteGzip(dir.File(MnistFamily.ImagesFile(true)), IdxBytes(0x08, [2, 28, 28], new byte[2 * 784]));
        WriteGzip(dir.File(MnistFamily.LabelsFile(true)), IdxBytes(0x08, [3], [1, 2, 3]));
        Assert.Contains("labels", Assert.Throws<DataFileException>(() => Datasets.FashionMnist.load(true, dir.Path)).Message);
        WriteGzip(dir.File(MnistFamily.LabelsFile(true)), IdxBytes(0x08, [2], [1, 12]));
        Assert.Contains("[1, 12]", Assert.Throws<DataFileException>(() => Datasets.FashionMnist.load(true, dir.Path)).Message);
        var e = Assert.Throws<DataFileException>(() => Datasets.Mnist.load(train: false, root: dir.Path, download: false));
        Assert.Contains(dir.File(MnistFamily.ImagesFile(false)), e.Message);
        Assert.Contains("https://ossci-datasets.s3.amazonaws.com/mnist/t10k-images-idx3-ubyte.gz", e.Message);
    }

    [Fact]
    public void FashionMnistTestSplitFromTheSystemPackage()
    {
        using var ds = Datasets.FashionMnist.load(train: false, download: false);
        Assert.Equal(10_000, ds.Count);
        Assert.Equal([1L, 28, 28], ds.example_shape);
        foreach (var label in ds.targets.data<long>()) Assert.InRange(label, 0, 9);
        Assert.All(ds.targets.data<long>().GroupBy(l => l), g => Assert.Equal(1000, g.Count()));   // Fashion-MNIST's test set is balanced
    }
}
