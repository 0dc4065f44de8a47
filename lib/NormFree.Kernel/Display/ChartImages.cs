using System.Globalization;
using PuppeteerSharp;

namespace NormFree.Kernel.Display;

/// <summary>Static PNGs of plotly figures, drawn by one headless Chromium per process: launched on the first
/// picture, holding one page with plotly.js loaded once, then <c>Plotly.toImage</c> per figure (no browser start
/// per picture, as Plotly.NET.ImageExport does). Offline: plotly.js comes from Plotly.NET.dll, and Chromium runs
/// without its background networking. Fails soft: without a browser, <see cref="TryRenderPng"/> returns null and
/// says why once.</summary>
public sealed class ChartImages : IDisposable
{
    /// <summary>The renderer charts use unless told otherwise; its browser closes when the process exits.</summary>
    public static ChartImages Shared { get; } = new();

    /// <summary>Flags that keep Chromium quiet and offline here (no sandbox: the kernel may run as root).</summary>
    static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    /// <summary>Where Chromium is looked for, in order, after the <c>NORMFREE_CHROMIUM</c> environment variable:
    /// Debian's binary (not its wrapper script, which only adds flags), then the usual names.</summary>
    static readonly string[] Candidates =
        ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    /// <summary>The browser to start; null (the default): <see cref="FindChromium"/>.</summary>
    public string? ExecutablePath { get; init; }

    /// <summary>How long one picture may take, a browser start included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    readonly SemaphoreSlim gate = new(1, 1);
    IBrowser? browser;
    IPage? page;
    string? userDataDir;
    int failures;
    string? unavailable;   // why no picture can be drawn in this process (set once, then nothing is retried)

    /// <summary>A renderer with a browser of its own (tests); charts use <see cref="Shared"/>.</summary>
    public ChartImages() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();

    /// <summary>Chromium's path: <c>NORMFREE_CHROMIUM</c>, else the first of the usual places that exists.</summary>
    public static string? FindChromium()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("NORMFREE_CHROMIUM");
        if (!string.IsNullOrEmpty(fromEnvironment)) return File.Exists(fromEnvironment) ? fromEnvironment : null;
        return Candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>Whether there is a browser to start (it may still fail to).</summary>
    public bool HasBrowser => (ExecutablePath ?? FindChromium()) is { } path && File.Exists(path);

    /// <summary>The PNG of <paramref name="figureJson"/> (plotly's <c>{data, layout}</c>) at
    /// <paramref name="width"/>×<paramref name="height"/> CSS pixels, or null with <paramref name="problem"/> saying
    /// why (no Chromium, a failed start, a timeout). Never throws for a missing or broken browser.</summary>
    public byte[]? TryRenderPng(string figureJson, int width, int height, out string? problem)
    {
        try
        {
            // Off the caller's thread: the cell may run under a single-threaded synchronization context.
            var png = Task.Run(() => RenderAsync(figureJson, width, height)).WaitAsync(Timeout).GetAwaiter().GetResult();
            problem = null;
            return png;
        }
        catch (Exception e)
        {
            problem = e is TimeoutException ? $"no PNG after {Timeout.TotalSeconds:0} s" : e.Message;
            return null;
        }
    }

    async Task<byte[]> RenderAsync(string figureJson, int width, int height)
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (unavailable is not null) throw new InvalidOperationException(unavailable);
            string? dataUrl;
            try
            {
                var p = page ??= await OpenPageAsync().ConfigureAwait(false);
                dataUrl = await p.EvaluateFunctionAsync<string>(
                    "(figure, width, height) => Plotly.toImage(JSON.parse(figure), {format: 'png', width, height})",
                    figureJson, width, height).ConfigureAwait(false);
                failures = 0;
            }
            catch (EvaluationFailedException e)
            {
                throw new InvalidOperationException($"plotly.js could not draw the figure: {e.Message}", e);
            }
            catch (Exception e) when (unavailable is null)
            {
                // A crashed or hung browser: start a fresh one next time, up to three times in a row.
                await CloseAsync().ConfigureAwait(false);
                if (++failures >= 3) unavailable = $"Chromium failed three times in a row ({e.Message})";
                throw;
            }
            const string prefix = "data:image/png;base64,";
            if (dataUrl is null || !dataUrl.StartsWith(prefix, StringComparison.Ordinal))
                throw new InvalidOperationException("plotly.js returned no PNG");
            return Convert.FromBase64String(dataUrl[prefix.Length..]);
        }
        finally
        {
            gate.Release();
        }
    }

    async Task<IPage> OpenPageAsync()
    {
        var executable = ExecutablePath ?? FindChromium();
        if (executable is null || !File.Exists(executable))
        {
            unavailable = executable is null
                ? "no Chromium (Debian: apt-get install chromium; or set NORMFREE_CHROMIUM)"
                : $"no Chromium at {executable}";
            throw new InvalidOperationException(unavailable);
        }
        userDataDir = FreshUserDataDir();
        try
        {
            // Pipe: Chromium talks over inherited file descriptors and exits by itself when this process does.
            browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Pipe = true,
                UserDataDir = userDataDir,
                Args = Flags,
                Timeout = (int)Timeout.TotalMilliseconds,
                ProtocolTimeout = (int)Timeout.TotalMilliseconds,
            }).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            unavailable = $"Chromium ({executable}) did not start: {e.Message}";
            DeleteUserDataDir();
            throw new InvalidOperationException(unavailable, e);
        }
        var p = await browser.NewPageAsync().ConfigureAwait(false);
        await p.SetContentAsync("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body></body></html>").ConfigureAwait(false);
        await p.AddScriptTagAsync(new AddTagOptions { Content = PlotlyJs.Source }).ConfigureAwait(false);
        if (!await p.EvaluateExpressionAsync<bool>("typeof Plotly === 'object' && typeof Plotly.toImage === 'function'").ConfigureAwait(false))
            throw new InvalidOperationException("plotly.js did not load in Chromium");
        return p;
    }

    async Task CloseAsync()
    {
        var b = browser;
        browser = null;
        page = null;
        if (b is not null)
        {
            try { await b.CloseAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); }
            catch (Exception) { /* already gone */ }
            try { b.Process?.Kill(entireProcessTree: true); }
            catch (Exception) { /* already exited */ }
            b.Dispose();
        }
        DeleteUserDataDir();
    }

    /// <summary>A new, empty Chromium profile under <c>$TMPDIR/normfree-chromium/</c>, named after this process;
    /// profiles left by processes that are gone (killed before they could clean up) are removed first.</summary>
    static string FreshUserDataDir()
    {
        var root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "normfree-chromium"));
        foreach (var stale in root.EnumerateDirectories("pid*"))
        {
            var pid = stale.Name[3..].Split('-')[0];
            if (pid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture) || Directory.Exists($"/proc/{pid}")) continue;
            try { stale.Delete(recursive: true); }
            catch (IOException) { /* another process is cleaning it up */ }
            catch (UnauthorizedAccessException) { /* another user's */ }
        }
        return root.CreateSubdirectory($"pid{Environment.ProcessId}-{Guid.NewGuid():N}").FullName;
    }

    void DeleteUserDataDir()
    {
        if (userDataDir is null) return;
        try { Directory.Delete(userDataDir, recursive: true); }
        catch (IOException) { /* Chromium may still be writing; it is a temp folder */ }
        userDataDir = null;
    }

    /// <summary>Closes the browser (also done at process exit).</summary>
    public void Dispose()
    {
        if (!gate.Wait(TimeSpan.FromSeconds(5))) return;
        try { CloseAsync().GetAwaiter().GetResult(); }
        finally { gate.Release(); }
    }
}
