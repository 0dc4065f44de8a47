using System.Security.Cryptography;

namespace NormFree.Data;

/// <summary>A file a data set is made of: its name, where the authors publish it, and the published checksum
/// (hex digest of <see cref="Algorithm"/>: "MD5" or "SHA256").</summary>
public sealed record RemoteFile(string Name, string Url, string Checksum, string Algorithm = "MD5");

/// <summary>Where data lives and how it gets there. The data folder is <c>$NORMFREE_DATA</c> if set, else the
/// repository's <c>data/</c> (found by walking up from the working directory to the folder holding NormFree.sln),
/// else <c>./data</c>. Downloads go to <c>data/cache/</c> (ignored by git) and are verified against the published
/// checksum before use; without a network the loaders fail with a message saying which files to put where.</summary>
public static class DataFiles
{
    public const string EnvironmentVariable = "NORMFREE_DATA";

    /// <summary>How long a download may take before it is given up (the archives are up to ~170 MB).</summary>
    static readonly TimeSpan DownloadTimeout = TimeSpan.FromMinutes(10);

    public static string data_root()
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NormFree.sln"))) return Path.Combine(dir.FullName, "data");
        return Path.GetFullPath("data");
    }

    public static string cache_root() => Path.Combine(data_root(), "cache");

    /// <summary>The hex digest of a file's contents.</summary>
    public static string checksum(string path, string algorithm = "MD5")
    {
        using var stream = File.OpenRead(path);
        using HashAlgorithm hash = algorithm.ToUpperInvariant() switch
        {
            "MD5" => MD5.Create(),
            "SHA256" or "SHA-256" => SHA256.Create(),
            _ => throw new ArgumentException($"unknown checksum algorithm '{algorithm}': expected MD5 or SHA256", nameof(algorithm)),
        };
        return Convert.ToHexStringLower(hash.ComputeHash(stream));
    }

    /// <summary>Returns the path of <paramref name="file"/> in <paramref name="folder"/>, downloading it there first
    /// when it is missing and <paramref name="download"/> is set. A downloaded file whose checksum does not match is
    /// deleted and reported. Without the file (and no way to get it) throws a <see cref="DataFileException"/>
    /// saying where to put it.</summary>
    public static string fetch(RemoteFile file, string folder, bool download, string what)
    {
        var path = Path.Combine(folder, file.Name);
        if (File.Exists(path)) return path;
        if (download)
        {
            try
            {
                Directory.CreateDirectory(folder);
                Download(file.Url, path + ".part");
                var have = checksum(path + ".part", file.Algorithm);
                if (!have.Equals(file.Checksum, StringComparison.OrdinalIgnoreCase))
                {
                    File.Delete(path + ".part");
                    throw new DataFileException($"{what}: {file.Url} downloaded with {file.Algorithm} {have}, expected {file.Checksum}; the file was deleted");
                }
                File.Move(path + ".part", path);
                return path;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException and not DataFileException)
            {
                throw Missing(file, path, what, $"downloading {file.Url} failed ({e.Message}). ");
            }
        }
        throw Missing(file, path, what, "");
    }

    static DataFileException Missing(RemoteFile file, string path, string what, string reason) =>
        new($"{what}: {reason}Missing {path}. Download {file.Url} ({file.Algorithm} {file.Checksum}) and put it there " +
            $"(or set {EnvironmentVariable} to a folder holding it).");

    static void Download(string url, string destination)
    {
        using var http = new HttpClient { Timeout = DownloadTimeout };
        using var response = http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        using var source = response.Content.ReadAsStream();
        using var target = File.Create(destination);
        source.CopyTo(target);
    }
}
