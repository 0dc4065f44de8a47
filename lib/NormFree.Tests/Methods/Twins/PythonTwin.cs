using System.Diagnostics;
using System.Text.Json;
using NormFree.Training;
using Xunit.Abstractions;

namespace NormFree.Tests.Methods.Twins;

/// <summary>What a PyTorch twin reported: the loss of every step, every parameter's gradient norm at every step (keyed
/// by the C# name) and the twin's own checks of the weights it loaded.</summary>
public sealed record TwinResult(double[] Losses, Dictionary<string, double>[] GradNorms, JsonElement Checks);

/// <summary>Runs a twin in <c>Twins/*.py</c> (copied beside the test assembly) with Debian's PyTorch,
/// <c>/usr/bin/python3</c>, over one directory: the C# side writes <c>weights.safetensors</c> (its state dict),
/// <c>batches.safetensors</c> (x0, y0, x1, y1, …) and <c>config.json</c>; the twin loads the weights strictly under its
/// stated name map, runs the same steps and writes <c>result.json</c> (see <c>Twins/twinio.py</c>).</summary>
public static class PythonTwin
{
    public const string Python = "/usr/bin/python3";

    static readonly Lazy<string?> unavailable = new(() =>
    {
        if (!File.Exists(Python)) return $"{Python} does not exist";
        var (code, _, error) = Exec(["-c", "import torch"], 120);
        return code == 0 ? null : $"{Python} cannot import torch: {error.Trim()}";
    });

    /// <summary>Why no twin can run here (null when <c>/usr/bin/python3</c> imports torch).</summary>
    public static string? Unavailable => unavailable.Value;

    /// <summary>True when the twin can run; otherwise logs why the test ends without checking anything.</summary>
    public static bool Available(ITestOutputHelper output)
    {
        if (Unavailable is null) return true;
        output.WriteLine($"SKIPPED: no PyTorch twin: {Unavailable}");
        return false;
    }

    /// <summary>A fresh directory for one twin run.</summary>
    public static string NewDirectory(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"normfree-twin-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Writes the model's state dict, the batches and the config into <paramref name="dir"/>.</summary>
    public static void Write(string dir, nn.Module model, IReadOnlyList<(Tensor X, Tensor Y)> batches, object config)
    {
        Safetensors.save_file(model.state_dict(), Path.Combine(dir, "weights.safetensors"));
        var named = batches.SelectMany((b, k) => new[] { new KeyValuePair<string, Tensor>($"x{k}", b.X), new($"y{k}", b.Y) });
        Safetensors.save_file(named, Path.Combine(dir, "batches.safetensors"));
        File.WriteAllText(Path.Combine(dir, "config.json"), JsonSerializer.Serialize(config));
    }

    /// <summary>Runs <c>Twins/<paramref name="script"/></c> over <paramref name="dir"/> and reads its result; a twin
    /// that fails fails the test with its standard error.</summary>
    public static TwinResult Run(string script, string dir, int timeoutSeconds = 300)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Twins", script);
        Assert.True(File.Exists(path), $"twin script {path} is missing from the test output");
        var (code, stdout, stderr) = Exec([path, dir], timeoutSeconds);
        Assert.True(code == 0, $"twin {script} exited with {code}:\n{stdout}\n{stderr}");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "result.json")));
        var root = json.RootElement;
        var losses = root.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var norms = root.GetProperty("grad_norms").EnumerateArray()
            .Select(step => step.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble())).ToArray();
        return new TwinResult(losses, norms, root.GetProperty("checks").Clone());
    }

    static (int Code, string Stdout, string Stderr) Exec(IEnumerable<string> arguments, int timeoutSeconds)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, stdout.Result, $"timed out after {timeoutSeconds} s\n{stderr.Result}");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Σ|grad|² of every parameter, by name: the same per-parameter norms the twins report.</summary>
    public static Dictionary<string, double> GradNorms(nn.Module model) =>
        model.named_parameters().ToDictionary(e => e.name, e =>
        {
            using var g = e.parameter.grad;
            if (g is null) return 0.0;
            using var n = g.norm();
            return n.ToDouble();
        });

    /// <summary>Asserts that the C# run and the twin agree step by step: losses within <paramref name="relative"/>, and
    /// every parameter's gradient norm within <paramref name="relative"/> of the larger of the two (or both below
    /// <paramref name="floor"/>). The message names the first step, parameter and values that part.</summary>
    public static void AssertSame(IReadOnlyList<double> losses, IReadOnlyList<Dictionary<string, double>> norms, TwinResult twin,
        double relative, double floor = 1e-12)
    {
        Assert.Equal(losses.Count, twin.Losses.Length);
        for (var k = 0; k < losses.Count; k++)
        {
            Assert.True(Close(losses[k], twin.Losses[k], relative, floor), $"step {k}: loss {losses[k]:R} here, {twin.Losses[k]:R} in PyTorch");
            Assert.Equal(norms[k].Keys.Order(), twin.GradNorms[k].Keys.Order());
            foreach (var (name, norm) in norms[k])
                Assert.True(Close(norm, twin.GradNorms[k][name], relative, floor),
                    $"step {k}: ‖∇{name}‖ = {norm:R} here, {twin.GradNorms[k][name]:R} in PyTorch");
        }
    }

    static bool Close(double a, double b, double relative, double floor) =>
        Math.Abs(a - b) <= relative * Math.Max(Math.Abs(a), Math.Abs(b)) || (Math.Abs(a) < floor && Math.Abs(b) < floor);
}
