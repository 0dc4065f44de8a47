namespace NormFree.Tests;

/// <summary>Where the native libraries are: those this process has mapped (/proc/self/maps), the build outputs' copies,
/// and the NuGet cache's.</summary>
static class NativeFiles
{
    /// <summary>The distinct paths of mapped files named <paramref name="fileName"/> (e.g. libtorch_cpu.so).</summary>
    public static IReadOnlyList<string> Mapped(string fileName) => MappedFiles().Where(p => Path.GetFileName(p) == fileName).ToList();

    /// <summary>Every file this process maps, once each.</summary>
    public static IReadOnlyList<string> MappedFiles() =>
        File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 6 && fields[5].StartsWith('/'))
            .Select(fields => fields[5].Trim())
            .Where(path => !path.EndsWith(" (deleted)"))
            .Distinct()
            .ToList();

    /// <summary>The folder the test assembly and its native libraries were built into (…/NormFree.Tests/bin/Release/net10.0).</summary>
    public static string TestOutput => Path.GetFullPath(AppContext.BaseDirectory);

    /// <summary>The library's own build output (…/NormFree/bin/Release/net10.0), the folder notebooks #r: the same
    /// configuration as the tests', next to the test project.</summary>
    public static string LibraryOutput
    {
        get
        {
            for (var dir = new DirectoryInfo(TestOutput); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "NormFree.Tests.csproj")))
                {
                    var relative = Path.GetRelativePath(dir.FullName, TestOutput); // bin/Release/net10.0
                    return Path.GetFullPath(Path.Combine(dir.Parent!.FullName, "NormFree", relative));
                }
            throw new DirectoryNotFoundException($"no NormFree.Tests.csproj above {TestOutput}");
        }
    }

    /// <summary>The TorchSharp package folder in the NuGet cache, for the TorchSharp version this process runs.</summary>
    public static string TorchSharpPackage
    {
        get
        {
            var v = typeof(torch).Assembly.GetName().Version!;
            var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
                ? set
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            return Path.Combine(cache, "torchsharp", $"{v.Major}.{v.Minor}.{v.Build}");
        }
    }

    /// <summary>The NuGet cache's libLibTorchSharp.so, as the package ships it.</summary>
    public static string CachedLibTorchSharp => Path.Combine(TorchSharpPackage, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    /// <summary>Runs a tensor op, so that TorchSharp has loaded its native libraries before anyone reads the maps.</summary>
    public static void TouchTorch()
    {
        using var a = torch.ones([2, 2]);
        using var b = a.matmul(a);
        Assert.Equal(2.0f, b[0, 0].item<float>());
    }
}
