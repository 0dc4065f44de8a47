using System.Formats.Tar;
using System.IO.Compression;

namespace NormFree.Data;

/// <summary>CIFAR-10 and CIFAR-100 (Krizhevsky 2009) in their binary ("suitable for C programs") format, from
/// https://www.cs.toronto.edu/~kriz/cifar.html. Each record is the label byte(s) followed by 3072 pixel bytes:
/// 1024 red, 1024 green, 1024 blue, each a 32×32 image row by row. CIFAR-10 records carry one label byte;
/// CIFAR-100 records carry two, the coarse (20 superclasses) then the fine (100 classes) label.
/// <see cref="load"/> returns images (N, 3, 32, 32) uint8 and labels (N) int64.</summary>
public sealed record Cifar(string Name, RemoteFile Archive, string Folder, IReadOnlyList<string> TrainFiles, IReadOnlyList<string> TestFiles,
    int LabelBytes, int LabelIndex, int NumClasses, long RecordsPerTrainFile, long RecordsPerTestFile)
{
    public const int ImageBytes = 3 * 32 * 32;

    /// <summary>CIFAR-10: data_batch_1..5.bin (10,000 records each) and test_batch.bin; MD5 from the dataset's page.</summary>
    public static readonly Cifar Cifar10 = new("CIFAR-10",
        new("cifar-10-binary.tar.gz", "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530"),
        "cifar-10-batches-bin", [.. Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin")], ["test_batch.bin"],
        LabelBytes: 1, LabelIndex: 0, NumClasses: 10, RecordsPerTrainFile: 10_000, RecordsPerTestFile: 10_000);

    /// <summary>CIFAR-100 with its 100 fine labels: train.bin (50,000 records), test.bin (10,000).</summary>
    public static readonly Cifar Cifar100 = new("CIFAR-100",
        new("cifar-100-binary.tar.gz", "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz", "03b5dce01913d631647c71ecec9e9cb8"),
        "cifar-100-binary", ["train.bin"], ["test.bin"],
        LabelBytes: 2, LabelIndex: 1, NumClasses: 100, RecordsPerTrainFile: 50_000, RecordsPerTestFile: 10_000);

    /// <summary>CIFAR-100 with its 20 coarse (superclass) labels.</summary>
    public static readonly Cifar Cifar100Coarse = Cifar100 with { Name = "CIFAR-100 (coarse)", LabelIndex = 0, NumClasses = 20 };

    public int RecordBytes => LabelBytes + ImageBytes;

    /// <summary>Loads a split from <paramref name="root"/> (a folder holding the .bin files, or its parent) if given;
    /// otherwise from <c>data/{Folder}</c> or <c>data/cache/{Folder}</c>, downloading and unpacking the archive into
    /// the cache (MD5-verified) when neither holds the files and <paramref name="download"/> is set.</summary>
    public InMemoryDataset load(bool train, string? root = null, bool download = true)
    {
        var files = train ? TrainFiles : TestFiles;
        var folder = root is not null ? InRoot(root) : Locate(files, download);
        var paths = files.Select(f => Path.Combine(folder, f)).ToArray();
        var missing = paths.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
            throw new DataFileException($"{Name}: missing {string.Join(", ", missing)}. Download {Archive.Url} (MD5 {Archive.Checksum}) " +
                $"and unpack it into {Path.GetDirectoryName(folder)} (it unpacks to {Folder}/), or set {DataFiles.EnvironmentVariable}.");
        return read_binary(paths, LabelBytes, LabelIndex, NumClasses, Name, train ? RecordsPerTrainFile : RecordsPerTestFile);
    }

    string InRoot(string root) => Directory.Exists(Path.Combine(root, Folder)) ? Path.Combine(root, Folder) : root;

    string Locate(IReadOnlyList<string> files, bool download)
    {
        var here = Path.Combine(DataFiles.data_root(), Folder);
        if (files.All(f => File.Exists(Path.Combine(here, f)))) return here;
        var cache = DataFiles.cache_root();
        var cached = Path.Combine(cache, Folder);
        if (files.All(f => File.Exists(Path.Combine(cached, f)))) return cached;
        var archive = DataFiles.fetch(Archive, cache, download, Name);
        using (var gz = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress))
            TarFile.ExtractToDirectory(gz, cache, overwriteFiles: true);
        return cached;
    }

    /// <summary>Reads binary CIFAR files into one data set. Each file must hold whole records (and exactly
    /// <paramref name="records_per_file"/> of them when given); labels must be below <paramref name="num_classes"/>.</summary>
    public static InMemoryDataset read_binary(IReadOnlyList<string> paths, int label_bytes, int label_index, int num_classes, string name, long? records_per_file = null)
    {
        if (label_index < 0 || label_index >= label_bytes) throw new ArgumentOutOfRangeException(nameof(label_index), label_index, $"records carry {label_bytes} label bytes");
        var record = label_bytes + ImageBytes;
        var sizes = paths.Select(p => File.Exists(p) ? new FileInfo(p).Length : throw new DataFileException($"{name}: missing {p}")).ToArray();
        for (var k = 0; k < paths.Count; k++)
        {
            var expected = records_per_file * record;
            if (expected is not null && sizes[k] != expected)
                throw new DataFileException($"{paths[k]}: expected {expected} bytes ({records_per_file} records of {record}), the file has {sizes[k]}");
            if (sizes[k] % record != 0)
                throw new DataFileException($"{paths[k]}: expected a whole number of {record}-byte records, the file has {sizes[k]} bytes " +
                    $"({sizes[k] / record} records and {sizes[k] % record} bytes left over: truncated?)");
        }
        var all = new byte[sizes.Sum()];
        var offset = 0;
        foreach (var p in paths)
        {
            using var file = File.OpenRead(p);
            file.ReadExactly(all, offset, (int)file.Length);
            offset += (int)file.Length;
        }
        var n = all.Length / record;
        using var scope = torch.NewDisposeScope();
        var table = torch.empty([n, record], ScalarType.Byte);                        // (N, label_bytes + 3072)
        table.bytes = all;
        var labels = table.select(1, label_index).to(ScalarType.Int64);                 // (N)
        var images = table.narrow(1, label_bytes, ImageBytes).reshape(n, 3, 32, 32).contiguous();  // (N, 3, 32, 32)
        InMemoryDataset result;
        try { result = new InMemoryDataset(images, labels, num_classes, name); }
        catch (ArgumentException e) { throw new DataFileException($"{string.Join(", ", paths)}: {e.Message}", e); }
        return result;
    }
}
