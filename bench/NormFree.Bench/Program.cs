using System.Globalization;
using System.Reflection;
using System.Text.Json;
using NormFree;
using NormFree.Bench;

// ./workbook bench [case ...] [--threads N] [--rounds R] [--target-ms T] [--min-iters K] [--out FILE]
//                  [--device cpu|cuda|cuda:N] [--no-pytorch] [--cuda-check]
// Times each case here (TorchSharp, libtorch 2.10) and in PyTorch (bench/reference.py: Debian's PyTorch 1.13, another
// libtorch build) with the same intra-op thread count,
// alternating the two sides round by round, and reports medians and normfree/pytorch ratios of wall-clock time and of
// process CPU time.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var options = Options.Parse(args);
torch.set_num_threads(options.Threads);
if (options.CudaCheck)
{
    var available = torch.cuda.is_available();
    Console.WriteLine(available
        ? $"torch.cuda.is_available() true: {torch.cuda.device_count()} CUDA device(s) (libtorch {torch.__version__})"
        : $"torch.cuda.is_available() false (libtorch {torch.__version__}): a CPU-only build, or no GPU or driver visible to this process");
    return available ? 0 : 1;
}
// Validated as NORMFREE_DEVICE is (a clear error when CUDA is not available); the trainer's default follows it too.
Environment.SetEnvironmentVariable(Devices.Variable, options.Device);
Cases.Device = Devices.default_device;
if (Cases.Device.type == DeviceType.CUDA) Measure.Synchronize = () => torch.cuda.synchronize(Cases.Device);

var all = typeof(Cases).GetMethods(BindingFlags.Public | BindingFlags.Static)
    .Where(m => m.ReturnType == typeof(Action) && m.GetParameters().Length == 0)
    .ToDictionary(m => m.Name, m => (Func<Action>)m.CreateDelegate(typeof(Func<Action>)));
foreach (var name in options.Cases.Where(n => !all.ContainsKey(n)))
    throw new ArgumentException($"no case '{name}'; cases: {string.Join(", ", all.Keys)}");
var selected = options.Cases.Count > 0 ? options.Cases : all.Keys.Order().ToList();

using var peer = options.PyTorch ? new PyTorchPeer(options.Python, Path.Combine(options.Root, "bench", "reference.py"), options.Threads) : null;
Console.WriteLine($"NormFree (TorchSharp {typeof(torch).Assembly.GetName().Version}, libtorch {torch.__version__}, {Cases.Device}) vs " +
                  (peer is null ? "nothing (--no-pytorch)" : $"PyTorch ({peer.Banner[6..]}, cpu)") + $", {options.Threads} threads, " +
                  $"medians of alternating rounds of ~{options.TargetMs} ms each; ms per iteration");

var results = new List<Result>();
foreach (var name in selected)
{
    var step = all[name]();
    peer?.Prepare(name);
    Measure.WarmUp(step, 1);                                         // JIT tiers, allocator caches, oneDNN primitives
    var iterations = Math.Max(options.MinIterations, Measure.Calibrate(step, options.TargetMs));
    var measurementMs = Measure.Run(step, iterations).WallMs * iterations;
    peer?.Run(name, iterations);
    var rounds = options.Rounds ?? Options.RoundsFor(measurementMs);
    CollectGarbage();                                                // earlier cases' tensors go now, not mid-measurement
    var rssBefore = Measure.RssMb();
    var handlesBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
    List<Timing> ours = [], theirs = [];
    for (var round = 0; round < rounds; round++)
    {
        // Alternate who goes first, so a drift in machine load does not favour one side.
        if (round % 2 == 0) { ours.Add(Measure.Run(step, iterations)); theirs.Add(PeerRun(name, iterations)); }
        else { theirs.Add(PeerRun(name, iterations)); ours.Add(Measure.Run(step, iterations)); }
    }
    CollectGarbage();
    var r = new Result(name, Median(ours), Median(theirs), iterations, rounds, rssBefore, Measure.RssMb(), peer?.RssMb() ?? double.NaN, handlesBefore,
        DisposeScopeManager.Statistics.ThreadTotalLiveCount, Cases.Extra.GetValueOrDefault(name) ?? []);
    results.Add(r);
    Console.WriteLine(r.Row(results.Count == 1));
}

var output = Path.GetFullPath(options.Output, options.Root);
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
File.WriteAllText(output, JsonSerializer.Serialize(results.Select(r => new Dictionary<string, object?>
{
    ["name"] = r.Name, ["normfree_ms"] = Round(r.NormFree.WallMs, 6), ["pytorch_ms"] = Round(r.PyTorch.WallMs, 6),
    ["ratio"] = Round(r.Ratio, 4),
    // Process CPU time: on a shared machine the steadier comparison (see README, Benchmarks).
    ["normfree_cpu_ms"] = Round(r.NormFree.CpuMs, 6), ["pytorch_cpu_ms"] = Round(r.PyTorch.CpuMs, 6),
    ["cpu_ratio"] = Round(r.CpuRatio, 4),
    // Resident set size of each process after the case's rounds (VmRSS; this process after a GC, the peer after gc.collect()).
    ["normfree_rss_mb"] = Round(r.RssAfterMb, 1), ["pytorch_rss_mb"] = Round(r.PyTorchRssMb, 1),
    ["rss_ratio"] = Round(r.RssRatio, 4),
    ["device"] = Cases.Device.ToString(),
}.Concat(r.Extra.Select(e => KeyValuePair.Create(e.Key, (object?)e.Value))).ToDictionary()), new JsonSerializerOptions { WriteIndented = true }) + "\n");
Console.WriteLine($"wrote {Path.GetRelativePath(options.Root, output)}");
return 0;

// The peer's timing, or none (NaN) with --no-pytorch.
Timing PeerRun(string name, int iterations) => peer?.Run(name, iterations) ?? new Timing(double.NaN, double.NaN);

// A JSON number, or null where there is none (no peer: NaN).
static double? Round(double value, int digits) => double.IsFinite(value) ? Math.Round(value, digits) : null;

static void CollectGarbage()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
}

static Timing Median(List<Timing> timings) =>
    new(Measure.Median(timings.Select(t => t.WallMs)), Measure.Median(timings.Select(t => t.CpuMs)));

record Result(string Name, Timing NormFree, Timing PyTorch, int Iterations, int Rounds, double RssBeforeMb, double RssAfterMb,
    double PyTorchRssMb, long HandlesBefore, long HandlesAfter, IReadOnlyDictionary<string, double> Extra)
{
    public double Ratio => NormFree.WallMs / PyTorch.WallMs;
    public double CpuRatio => NormFree.CpuMs / PyTorch.CpuMs;
    public double RssRatio => RssAfterMb / PyTorchRssMb;

    public string Row(bool header) =>
        (header ? $"{"case",-16} {"normfree ms",12} {"pytorch ms",12} {"ratio",7}   {"cpu ms",10} {"cpu ms",10} {"ratio",7} {"iters",7} {"rounds",6}   " +
                  $"{"RSS MB before → after",-21} {"pytorch RSS",11} {"ratio",7}   native tensors\n" : "") +
        $"{Name,-16} {NormFree.WallMs,12:F4} {PyTorch.WallMs,12:F4} {Ratio,7:F3}   {NormFree.CpuMs,10:F4} {PyTorch.CpuMs,10:F4} {CpuRatio,7:F3} {Iterations,7} {Rounds,6}   " +
        $"{RssBeforeMb,8:F1} → {RssAfterMb,-10:F1} {PyTorchRssMb,11:F1} {RssRatio,7:F3}   {HandlesBefore} → {HandlesAfter}" +
        string.Concat(Extra.Select(e => $"   {e.Key} {e.Value:G4}"));
}
