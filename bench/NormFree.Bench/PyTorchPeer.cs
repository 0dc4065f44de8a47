using System.Diagnostics;
using System.Globalization;

namespace NormFree.Bench;

/// <summary>bench/reference.py running as a peer process: the harness asks it to prepare and time a case between its
/// own measurements, so both sides see the same machine load, alternately, never at the same time.</summary>
sealed class PyTorchPeer : IDisposable
{
    readonly Process process;
    public string Banner { get; }

    public PyTorchPeer(string python, string script, int threads)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { script, "--serve", "--threads", threads.ToString(CultureInfo.InvariantCulture) }) start.ArgumentList.Add(a);
        try { process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {python}"); }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException($"could not start {python} ({e.Message}); install python3-torch", e); }
        Banner = Read("ready");
    }

    public void Prepare(string name)
    {
        process.StandardInput.WriteLine($"prepare {name}");
        Read("ok");
    }

    /// <summary>Milliseconds per iteration over <paramref name="iterations"/> back-to-back steps.</summary>
    public Timing Run(string name, int iterations)
    {
        process.StandardInput.WriteLine($"run {name} {iterations}");
        var words = Read("").Split(' ');
        return new Timing(double.Parse(words[0], CultureInfo.InvariantCulture), double.Parse(words[1], CultureInfo.InvariantCulture));
    }

    /// <summary>The peer's resident set size in MB (VmRSS of its /proc/self/status, after a garbage collection).</summary>
    public double RssMb()
    {
        process.StandardInput.WriteLine("rss");
        return double.Parse(Read("rss ")[4..], CultureInfo.InvariantCulture);
    }

    string Read(string expected)
    {
        var line = process.StandardOutput.ReadLine()
            ?? throw new InvalidOperationException("bench/reference.py exited early (see its error above; is python3-torch installed?)");
        if (line.StartsWith("error ")) throw new InvalidOperationException("bench/reference.py: " + line[6..]);
        if (!line.StartsWith(expected)) throw new InvalidOperationException($"bench/reference.py said '{line}', expected '{expected}...'");
        return line;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.StandardInput.WriteLine("quit");
            if (!process.WaitForExit(5000)) process.Kill();
        }
        process.Dispose();
    }
}
