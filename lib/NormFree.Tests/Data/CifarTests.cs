using NormFree.Data;

namespace NormFree.Tests.Data;

public class CifarTests
{
    /// <summary>A CIFAR record laid out as the dataset page describes: label byte(s), then 1024 R, 1024 G, 1024 B,
    /// each plane row by row. Pixel (c, y, x) of record k holds (k + 3c + 5y + 7x) mod 256.</summary>
    static byte[] Record(int k, params byte[] labels)
    {
        var r = new byte[labels.Length + 3072];
        labels.CopyTo(r, 0);
        for (var c = 0; c < 3; c++)
            for (var y = 0; y < 32; y++)
                for (var x = 0; x < 32; x++)
                    r[labels.Length + c * 1024 + y * 32 + x] = (byte)((k + 3 * c + 5 * y + 7 * x) % 256);
        return r;
    }

    static int Pixel(int k, int c, int y, int x) => (k + 3 * c + 5 * y + 7 * x) % 256;

    [Fact]
    public void Cifar10RecordsBecomeChannelPlanes()
    {
        using var dir = new TempFolder();
        var a = dir.File("data_batch_1.bin");
        var b = dir.File("data_batch_2.bin");
        File.WriteAllBytes(a, [.. Record(0, 3), .. Record(1, 9)]);
        File.WriteAllBytes(b, Record(2, 0));
        using var ds = Cifar.read_binary([a, b], label_bytes: 1, label_index: 0, num_classes: 10, "CIFAR-10");
        Assert.Equal([3L, 3, 32, 32], ds.inputs.shape);
        Assert.Equal(ScalarType.Byte, ds.inputs.dtype);
        Assert.Equal([3L, 9, 0], ds.targets.data<long>());
        var px = ds.inputs.data<byte>();
        foreach (var (k, c, y, x) in new[] { (0, 0, 0, 1), (1, 2, 31, 0), (2, 1, 5, 17) })
            Assert.Equal(Pixel(k, c, y, x), px[((k * 3 + c) * 32 + y) * 32 + x]);
    }

    [Fact]
    public void Cifar100ReadsFineOrCoarseLabels()
    {
        using var dir = new TempFolder();
        var path = dir.File("train.bin");
        File.WriteAllBytes(path, [.. Record(0, 4, 77), .. Record(1, 19, 99)]);
        using (var fine = Cifar.read_binary([path], 2, 1, 100, "CIFAR-100")) Assert.Equal([77L, 99], fine.targets.data<long>());
        using (var coarse = Cifar.read_binary([path], 2, 0, 20, "CIFAR-100")) Assert.Equal([4L, 19], coarse.targets.data<long>());
        using var images = Cifar.read_binary([path], 2, 1, 100, "CIFAR-100");
        Assert.Equal(Pixel(1, 2, 3, 4), images.inputs.data<byte>()[((1 * 3 + 2) * 32 + 3) * 32 + 4]);
    }

    [Fact]
    public void TruncatedFileNamesTheFileAndTheByteCounts()
    {
        using var dir = new TempFolder();
        var path = dir.File("test_batch.bin");
        File.WriteAllBytes(path, [.. Record(0, 1), .. Record(1, 2)[..100]]);
        var e = Assert.Throws<DataFileException>(() => Cifar.read_binary([path], 1, 0, 10, "CIFAR-10"));
        Assert.Contains(path, e.Message);
        Assert.Contains("3073", e.Message);
        Assert.Contains((3073 + 100).ToString(), e.Message);
        File.WriteAllBytes(path, Record(0, 1));
        e = Assert.Throws<DataFileException>(() => Cifar.read_binary([path], 1, 0, 10, "CIFAR-10", records_per_file: 10_000));
        Assert.Contains("expected 30730000 bytes", e.Message);
        Assert.Contains("has 3073", e.Message);
    }

    [Fact]
    public void LabelOutOfRangeIsADataError()
    {
        using var dir = new TempFolder();
        var path = dir.File("data_batch_1.bin");
        File.WriteAllBytes(path, Record(0, 10));
        var e = Assert.Throws<DataFileException>(() => Cifar.read_binary([path], 1, 0, 10, "CIFAR-10"));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void MissingFilesSayWhatToDownloadAndWhere()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<DataFileException>(() => Cifar.Cifar10.load(train: true, root: dir.Path, download: false));
        Assert.Contains(Path.Combine(dir.Path, "data_batch_1.bin"), e.Message);
        Assert.Contains("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", e.Message);
        Assert.Contains("c32a1d4ab5d03f1284b67883e8d87530", e.Message);
        e = Assert.Throws<DataFileException>(() => Cifar.Cifar100.load(train: false, root: dir.Path, download: false));
        Assert.Contains("test.bin", e.Message);
    }

    [Fact]
    public void ChecksumsAreHexDigests()
    {
        using var dir = new TempFolder();
        var path = dir.File("abc");
        File.WriteAllBytes(path, "abc"u8.ToArray());
        Assert.Equal("900150983cd24fb0d6963f7d28e17f72", DataFiles.checksum(path, "MD5"));   // RFC 1321 test suite
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", DataFiles.checksum(path, "SHA256"));  // FIPS 180-2
    }
}
