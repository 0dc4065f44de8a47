namespace NormFree.Tests.Torch;

/// <summary>The Debian-12 load fix (build/GlibcxxWeak.targets): TorchSharp's libLibTorchSharp.so requires
/// GLIBCXX_3.4.32, which Debian 12's libstdc++ lacks. Where the libstdc++ this process runs with lacks it, every build
/// output's copy has that one requirement marked weak and is otherwise the package's file byte for byte; where it has
/// it, the copies are the package's file unchanged. The NuGet cache's copy is never touched.</summary>
public class GlibcxxLoadFixTests
{
    const string Version = "GLIBCXX_3.4.32";

    /// <summary>Whether the libstdc++ this process has mapped defines <see cref="Version"/>.</summary>
    static bool HostHasVersion()
    {
        NativeFiles.TouchTorch();
        // The map names the file the soname resolves to: libstdc++.so.6.0.30 on Debian 12.
        var libstdcxx = NativeFiles.MappedFiles().Where(p => Path.GetFileName(p).StartsWith("libstdc++.so.6")).ToList();
        Assert.True(libstdcxx.Count == 1, $"libstdc++ mapped from [{string.Join(", ", libstdcxx)}]");
        return ElfVersions.Read(libstdcxx[0]).Defined.Contains(Version);
    }

    public static TheoryData<string> Outputs => new(["tests", "library"]);

    static string Output(string which) => Path.Combine(which == "tests" ? NativeFiles.TestOutput : NativeFiles.LibraryOutput, "libLibTorchSharp.so");

    [Fact]
    public void TheNuGetCacheCopyStillRequiresTheVersionStrongly()
    {
        var cached = NativeFiles.CachedLibTorchSharp;
        Assert.True(File.Exists(cached), $"{cached} is missing");
        var flags = ElfVersions.Read(cached).FlagsOf(Version);
        Assert.True(flags is { } f && (f & ElfVersions.VER_FLG_WEAK) == 0,
            $"{cached}: the {Version} requirement should be as shipped (not weak), flags {flags?.ToString() ?? "absent"}");
    }

    [Theory]
    [MemberData(nameof(Outputs))]
    public void TheBuildOutputsCopyIsWeakWhereTheHostLacksTheVersionAndUntouchedWhereItHasIt(string which)
    {
        var output = Output(which);
        Assert.True(File.Exists(output), $"{output} is missing: build the solution first");
        var built = File.ReadAllBytes(output);
        var shipped = File.ReadAllBytes(NativeFiles.CachedLibTorchSharp);
        Assert.Equal(shipped.Length, built.Length);
        var differing = Enumerable.Range(0, built.Length).Count(i => built[i] != shipped[i]);
        var flags = ElfVersions.Read(output).FlagsOf(Version);
        if (HostHasVersion())
            Assert.True(differing == 0, $"{output}: the host's libstdc++ defines {Version}, yet {differing} byte(s) differ from the package's copy");
        else
        {
            Assert.True(flags is { } f && (f & ElfVersions.VER_FLG_WEAK) != 0,
                $"{output}: the host's libstdc++ lacks {Version}, so its requirement must be weak; flags {flags?.ToString() ?? "absent"}");
            Assert.True(differing == 1, $"{output}: {differing} byte(s) differ from the package's copy; the fix sets one flag bit");
        }
    }
}
