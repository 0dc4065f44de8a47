using System.Diagnostics;
using System.Runtime.InteropServices;
using NormFree.Tests.Data;
using NormFree.Torch;

namespace NormFree.Tests.DeviceAware;

/// <summary>A fact that needs cmake on PATH (and is skipped, saying so, without it).</summary>
public sealed class CMakeFactAttribute : FactAttribute
{
    public CMakeFactAttribute()
    {
        if (NativeBuildTests.CMake is null) Skip = "cmake is not on PATH";
    }
}

/// <summary>The native shim built with CMake into a fresh folder with <c>LIBTORCH</c> naming the libtorch the main build
/// found (the system one here, a CUDA 2.x distribution on a GPU box): the override is honoured, and a LIBTORCH that
/// holds no libtorch is an error instead of a silent fall-back to the system one. About a minute (one C++ file).</summary>
public sealed class NativeBuildTests
{
    internal static string? CMake => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Select(dir => Path.Combine(dir, "cmake")).FirstOrDefault(File.Exists);

    static readonly string NativeSource = FindNativeSource();

    static string FindNativeSource()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "lib", "NormFree", "native");
            if (File.Exists(Path.Combine(candidate, "CMakeLists.txt"))) return candidate;
        }
        throw new DirectoryNotFoundException($"no lib/NormFree/native/CMakeLists.txt above {AppContext.BaseDirectory}");
    }

    /// <summary>Torch_DIR as the main build's CMake cache records it (the build that made the shim these tests load).</summary>
    static string MainTorchDir()
    {
        var cache = Path.Combine(NativeSource, "build", "Release", "CMakeCache.txt");
        Assert.True(File.Exists(cache), $"{cache} is missing: build the solution in Release first");
        var line = File.ReadLines(cache).FirstOrDefault(l => l.StartsWith("Torch_DIR:PATH="));
        Assert.NotNull(line);
        return Path.GetFullPath(line["Torch_DIR:PATH=".Length..]);
    }

    /// <summary>The prefix CMake searches for <paramref name="torchDir"/>: P for P/share/cmake/Torch, P/lib*/cmake/Torch
    /// or P/lib/&lt;arch&gt;/cmake/Torch (Debian: /usr/lib/x86_64-linux-gnu/cmake/Torch → /usr).</summary>
    internal static string PrefixOf(string torchDir)
    {
        var cmake = Directory.GetParent(torchDir)!;           // .../cmake
        var above = cmake.Parent!;                              // share, lib*, or an architecture folder under lib
        if (above.Name == "share" || above.Name.StartsWith("lib")) return above.Parent!.FullName;
        Assert.StartsWith("lib", above.Parent!.Name);
        return above.Parent.Parent!.FullName;
    }

    [Theory]
    [InlineData("/opt/torch/share/cmake/Torch", "/opt/torch")]
    [InlineData("/usr/lib/x86_64-linux-gnu/cmake/Torch", "/usr")]
    [InlineData("/usr/local/lib/cmake/Torch", "/usr/local")]
    public void ThePrefixOfATorchConfigFolderIsWhereCMakeLooksForIt(string torchDir, string prefix) =>
        Assert.Equal(prefix, PrefixOf(torchDir));

    static (int ExitCode, string Output) Run(string arguments, string? libtorch, TimeSpan limit)
    {
        var start = new ProcessStartInfo(CMake!, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment.Remove("Torch_DIR");                  // it would win over LIBTORCH
        if (libtorch is null) start.Environment.Remove("LIBTORCH"); else start.Environment["LIBTORCH"] = libtorch;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"cmake {arguments} ran longer than {limit.TotalSeconds} s");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [CMakeFact]
    public void TheShimBuildsAgainstTheLibtorchNamedByLIBTORCH()
    {
        using var folder = new TempFolder();
        var torchDir = MainTorchDir();
        var prefix = PrefixOf(torchDir);

        // A LIBTORCH without a libtorch in it: configuring fails and says so.
        var empty = Directory.CreateDirectory(folder.File("not-a-libtorch")).FullName;
        var (failed, why) = Run($"-S \"{NativeSource}\" -B \"{folder.File("wrong")}\"", empty, TimeSpan.FromMinutes(2));
        Assert.NotEqual(0, failed);
        Assert.Contains($"LIBTORCH={empty} holds no libtorch", System.Text.RegularExpressions.Regex.Replace(why, @"\s+", " ")); // CMake wraps lines

        var build = folder.File("build");
        var (configured, log) = Run($"-S \"{NativeSource}\" -B \"{build}\" -DCMAKE_BUILD_TYPE=Release", prefix, TimeSpan.FromMinutes(2));
        Assert.True(configured == 0, log);
        Assert.Contains($"NormFree shim: libtorch", log);
        var found = File.ReadLines(Path.Combine(build, "CMakeCache.txt")).Single(l => l.StartsWith("Torch_DIR:PATH="));
        Assert.Equal(torchDir, Path.GetFullPath(found["Torch_DIR:PATH=".Length..]));
        Assert.StartsWith(prefix, torchDir);

        var (built, buildLog) = Run($"--build \"{build}\" --parallel 2", prefix, TimeSpan.FromMinutes(5));
        Assert.True(built == 0, buildLog);

        // The library it made works: it reports the version of the libtorch it was built against.
        var library = NativeLibrary.Load(Path.Combine(build, "libnormfree_native.so"));
        try
        {
            Assert.Equal(torch.version, Version(library));
        }
        finally
        {
            NativeLibrary.Free(library);
        }
    }

    static unsafe string Version(IntPtr library)
    {
        var nf_torch_version = (delegate* unmanaged<byte*, int, int>)NativeLibrary.GetExport(library, "nf_torch_version");
        var buffer = stackalloc byte[64];
        var n = nf_torch_version(buffer, 64);
        return System.Text.Encoding.ASCII.GetString(buffer, Math.Min(n, 63));
    }
}
