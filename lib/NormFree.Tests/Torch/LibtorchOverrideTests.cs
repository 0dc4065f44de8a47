using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using NormFree.Torch;

namespace NormFree.Tests.Torch;

/// <summary>Issue 9, acceptance 1: the shim builds through the LIBTORCH override. It configures and compiles
/// lib/NormFree/native into a temporary folder with LIBTORCH naming the system libtorch (or the LIBTORCH already
/// set, on a GPU box), loads the result and asks it its libtorch version; and a LIBTORCH naming an empty folder must
/// fail rather than fall back to the system libtorch. About a minute: one compile of shim.cpp.</summary>
public class LibtorchOverrideTests
{
    [LibtorchBuildFact]
    public void ShimBuildsAgainstTheLibtorchThatLIBTORCHNames()
    {
        var prefix = LibtorchBuildFactAttribute.Prefix!;
        var source = Path.Combine(RepositoryRoot(), "lib", "NormFree", "native");
        var work = Directory.CreateTempSubdirectory("normfree-shim-");
        try
        {
            var empty = Directory.CreateDirectory(Path.Combine(work.FullName, "no-libtorch-here")).FullName;
            var (wrongCode, wrongLog) = CMake(empty, "-S", source, "-B", Path.Combine(work.FullName, "wrong"));
            Assert.True(wrongCode != 0, "LIBTORCH naming an empty folder must fail the configure step:\n" + wrongLog);
            Assert.Contains("Torch", wrongLog);

            var build = Path.Combine(work.FullName, "build");
            var (code, log) = CMake(prefix, "-S", source, "-B", build, "-DCMAKE_BUILD_TYPE=Release");
            Assert.True(code == 0, log);
            var found = log.Split('\n').Single(l => l.Contains("NormFree shim: libtorch"));
            Assert.Contains($"from {Path.TrimEndingDirectorySeparator(prefix)}/", found);
            (code, log) = CMake(prefix, "--build", build, "--parallel", "2");
            Assert.True(code == 0, log);

            Assert.Equal(torch.version, VersionOf(Path.Combine(build, "libnormfree_native.so")));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Loads a freshly built shim beside the one in use (both link the same libtorch) and calls its
    /// nf_torch_version.</summary>
    static unsafe string VersionOf(string library)
    {
        var handle = NativeLibrary.Load(library);
        try
        {
            var version = (delegate* unmanaged<byte*, int, int>)NativeLibrary.GetExport(handle, "nf_torch_version");
            var buffer = stackalloc byte[64];
            var n = version(buffer, 64);
            return Encoding.ASCII.GetString(buffer, Math.Min(n, 63));
        }
        finally
        {
            NativeLibrary.Free(handle);
        }
    }

    static (int Code, string Log) CMake(string libtorch, params string[] args)
    {
        var start = new ProcessStartInfo("cmake") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["LIBTORCH"] = libtorch;
        start.Environment.Remove("Torch_DIR");                              // only LIBTORCH may select the libtorch here
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(entireProcessTree: true); return (-1, "cmake timed out\n" + stdout); }
        return (process.ExitCode, stdout + stderr.Result);
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "lib", "NormFree", "native", "CMakeLists.txt"))) return dir.FullName;
        throw new InvalidOperationException("cannot find lib/NormFree/native above " + AppContext.BaseDirectory);
    }
}

/// <summary>Runs only where the build can run: cmake on PATH and a libtorch to point LIBTORCH at (the LIBTORCH
/// already set, else the system prefix when Debian's libtorch-dev is installed).</summary>
public sealed class LibtorchBuildFactAttribute : FactAttribute
{
    /// <summary>Where Debian's libtorch-dev puts TorchConfig.cmake, under the prefix /usr.</summary>
    static readonly string[] SystemConfigs =
        ["/usr/lib/x86_64-linux-gnu/cmake/Torch/TorchConfig.cmake", "/usr/lib/aarch64-linux-gnu/cmake/Torch/TorchConfig.cmake", "/usr/share/cmake/Torch/TorchConfig.cmake"];

    public static string? Prefix =>
        Environment.GetEnvironmentVariable("LIBTORCH") is { Length: > 0 } set ? set : SystemConfigs.Any(File.Exists) ? "/usr" : null;

    public LibtorchBuildFactAttribute()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, "cmake")));
        if (!onPath) Skip = "cmake is not on PATH";
        else if (Prefix is null) Skip = "no libtorch to build against (set LIBTORCH or install libtorch-dev)";
    }
}
