using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NormFree;

/// <summary>Keeps glibc's malloc from churning under libtorch. Measured on this project's 2-core Debian machine:
/// with glibc's defaults a ResNet-20 SGD step ran 1.31–1.45× PyTorch's time and RSS climbed to 2.4 GB while the live
/// tensor count stayed flat — every large activation went through mmap/munmap and trimming, and the heap fragmented.
/// jemalloc without decay (what <c>./workbook</c> preloads, see README → Memory) is fastest; where the process was
/// started without it (a plain <c>dotnet test</c>, another Jupyter kernelspec), raising glibc's mmap and trim
/// thresholds when the library loads gets close (1.05×). Nothing is changed when jemalloc is already the allocator.</summary>
static partial class Allocator
{
    const int M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3; // malloc.h
    const int Threshold = 1 << 30;

    /// <summary>True when jemalloc serves this process's malloc (LD_PRELOAD).</summary>
    public static bool IsJemalloc { get; } = OperatingSystem.IsLinux()
        && File.ReadLines("/proc/self/maps").Any(line => line.Contains("libjemalloc", StringComparison.Ordinal));

#pragma warning disable CA2255 // a process-wide setting must run before the first tensor is allocated
    [ModuleInitializer]
    internal static void Configure()
    {
        if (!OperatingSystem.IsLinux() || IsJemalloc) return;
        mallopt(M_MMAP_THRESHOLD, Threshold);
        mallopt(M_TRIM_THRESHOLD, Threshold);
    }
#pragma warning restore CA2255

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);
}
