
namespace NormFree.Data;

/// <summary>A data set published as the four IDX files of MNIST's layout:
/// <c>{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz</c> — images (N, 28, 28) uint8, labels (N) uint8.
/// <see cref="load"/> returns images as (N, 1, 28, 28) uint8 and labels as int64.</summary>
public sealed record MnistFamily(string Name, int NumClasses, string Folder, string BaseUrl, IReadOnlyDictionary<string, string> Md5, IReadOnlyList<string> SystemFolders)
{
    public static string ImagesFile(bool train) => $"{(train ? "train" : "t10k")}-images-idx3-ubyte.gz";
    public static string LabelsFile(bool train) => $"{(train ? "train" : "t10k")}-labels-idx1-ubyte.gz";

    /// <summary>Loads the training (60,000) or test (10,000) split from <paramref name="root"/> if given (never
    /// downloading there); otherwise from the first of the system folders (e.g. Debian's dataset-fashion-mnist),
    /// <c>data/{Folder}</c> and <c>data/cache/{Folder}</c> that holds the split, downloading into the cache
    /// (MD5-verified) when none does and <paramref name="download"/> is set.</summary>
    public InMemoryDataset load(bool train, string? root = null, bool download = true)
    {
        var folder = root ?? Locate(train);
        var fetch = root is null && download;
        var images = DataFiles.fetch(Remote(ImagesFile(train)), folder, fetch, Name);
        var labels = DataFiles.fetch(Remote(LabelsFile(train)), folder, fetch, Name);
        return read(images, labels, NumClasses, Name);
    }

    RemoteFile Remote(string file) => new(file, BaseUrl + file, Md5[file]);

    /// <summary>The first folder that holds both files of the split; the download cache if none does.</summary>
    string Locate(bool train)
    {
        var data = DataFiles.data_root();
        var candidates = SystemFolders.Append(Path.Combine(data, Folder)).Append(Path.Combine(DataFiles.cache_root(), Folder));
        foreach (var c in candidates)
            if (File.Exists(Path.Combine(c, ImagesFile(train))) && File.Exists(Path.Combine(c, LabelsFile(train)))) return c;
        return Path.Combine(DataFiles.cache_root(), Folder);
    }

    /// <summary>Reads an IDX image file (N, H, W) uint8 and an IDX label file (N) uint8 into a data set.</summary>
    public static InMemoryDataset read(string images_path, string labels_path, int num_classes, string name)
    {
        using var images = Idx.read(images_path);
        using var labels = Idx.read(labels_path);
        var s = images.shape;
        if (images.dtype != ScalarType.Byte || s.Length != 3)
            throw new DataFileException($"{images_path}: expected (N, H, W) uint8 images, got {images.dtype} of shape [{string.Join(", ", s)}]");
        if (labels.dtype != ScalarType.Byte || labels.dim() != 1 || labels.size(0) != s[0])
            throw new DataFileException($"{labels_path}: expected ({s[0]}) uint8 labels to match {images_path}, got {labels.dtype} of shape [{string.Join(", ", labels.shape)}]");
        try
        {
            return new InMemoryDataset(images.view(s[0], 1, s[1], s[2]).contiguous(), labels.to(ScalarType.Int64), num_classes, name);
        }
        catch (ArgumentException e) { throw new DataFileException($"{labels_path}: {e.Message}", e); }
    }
}

/// <summary>The data sets in MNIST's IDX layout that the workbook uses.</summary>
public static class Datasets
{
    /// <summary>Fashion-MNIST (Xiao, Rasul, Vollgraf 2017): 10 classes of clothing, 28×28 grey. MD5s of the files
    /// Zalando publishes; Debian's <c>dataset-fashion-mnist</c> package installs the same data (recompressed).</summary>
    public static readonly MnistFamily FashionMnist = new("Fashion-MNIST", 10, "fashion-mnist",
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        new Dictionary<string, string>
        {
            ["train-images-idx3-ubyte.gz"] = "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            ["train-labels-idx1-ubyte.gz"] = "25c81989df183df01b3e8a0aad5dffbe",
            ["t10k-images-idx3-ubyte.gz"] = "bef4ecab320f06d8554ea6380940ec79",
            ["t10k-labels-idx1-ubyte.gz"] = "bb300cfdad3c16e7a12a480ee83cd310",
        },
        ["/usr/share/datasets/fashion-mnist"]);

    /// <summary>MNIST (LeCun et al. 1998), from the mirror torchvision uses, with the MD5s torchvision checks.</summary>
    public static readonly MnistFamily Mnist = new("MNIST", 10, "mnist",
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        new Dictionary<string, string>
        {
            ["train-images-idx3-ubyte.gz"] = "f68b3c2dcbeaaa9fbdd348bbdeb94873",
            ["train-labels-idx1-ubyte.gz"] = "d53e105ee54ea40749a09fcbcd1e9432",
            ["t10k-images-idx3-ubyte.gz"] = "9fb629c4189551a2d022fa330f9573f3",
            ["t10k-labels-idx1-ubyte.gz"] = "ec29112dd5afa0611ce80d1b7f02629c",
        },
        []);
}
