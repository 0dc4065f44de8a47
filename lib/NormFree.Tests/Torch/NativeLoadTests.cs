namespace NormFree.Tests.Torch;

/// <summary>TorchSharp runs here on its own libtorch: the native libraries this process maps come from the build
/// output, not from a distribution's libtorch (Debian's libtorch-dev is neither needed nor allowed to shadow them).</summary>
public class NativeLoadTests
{
    [Theory]
    [InlineData("libLibTorchSharp.so")]
    [InlineData("libtorch_cpu.so")]
    [InlineData("libc10.so")]
    public void TheMappedLibraryIsTheBuildOutputsCopy(string fileName)
    {
        NativeFiles.TouchTorch();
        var mapped = NativeFiles.Mapped(fileName);
        var expected = Path.Combine(NativeFiles.TestOutput, fileName);
        Assert.True(mapped.Count == 1 && mapped[0] == expected,
            $"{fileName} mapped from [{string.Join(", ", mapped)}]; expected only {expected}");
    }

    [Fact]
    public void NoLibtorchIsMappedFromOutsideTheBuildOutput()
    {
        NativeFiles.TouchTorch();
        var foreign = NativeFiles.MappedFiles()
            .Where(p => Path.GetFileName(p) is var n && (n.StartsWith("libtorch") || n.StartsWith("libc10") || n.StartsWith("libLibTorchSharp")))
            .Where(p => Path.GetDirectoryName(p) != Path.TrimEndingDirectorySeparator(NativeFiles.TestOutput))
            .ToList();
        Assert.True(foreign.Count == 0, "libtorch libraries mapped from elsewhere: " + string.Join(", ", foreign));
    }
}
