using System.Globalization;

namespace NormFree.Bench;

/// <summary>Command line of the benchmark harness; every option has a default so `./workbook bench` needs none.</summary>
/// <param name="Device">Where the library's side of each case runs (cpu, cuda, cuda:N; default cpu). The PyTorch peer
/// always runs on the CPU, so a CUDA run compares a GPU with a CPU: use it with --no-pytorch to time the library alone.</param>
/// <param name="PyTorch">false (--no-pytorch): no peer process; its columns stay empty and its JSON fields null.</param>
/// <param name="CudaCheck">--cuda-check: say whether this build sees CUDA (torch.cuda.is_available()) and exit, 1 if not.</param>
sealed record Options(List<string> Cases, int Threads, int? Rounds, double TargetMs, int MinIterations, string Output, string Root, string Python,
    string Device = "cpu", bool PyTorch = true, bool CudaCheck = false)
{
    public static Options Parse(string[] args)
    {
        var omp = Environment.GetEnvironmentVariable("OMP_NUM_THREADS");
        var o = new Options([], int.TryParse(omp, out var t) && t > 0 ? t : Environment.ProcessorCount, null, 100, 1,
            "bench/results/latest.json", FindRoot(), "/usr/bin/python3");
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--threads" => o with { Threads = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--rounds" => o with { Rounds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--target-ms" => o with { TargetMs = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--min-iters" => o with { MinIterations = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--out" => o with { Output = Next() },
                "--python" => o with { Python = Next() },
                "--device" => o with { Device = Next() },
                "--no-pytorch" => o with { PyTorch = false },
                "--cuda-check" => o with { CudaCheck = true },
                var a when a.StartsWith("--") => throw new ArgumentException($"unknown option {a} (--threads, --rounds, --target-ms, --min-iters, --out, --python, --device, --no-pytorch, --cuda-check)"),
                var name => o with { Cases = [.. o.Cases, name] },
            };
        }
        if (o.Threads < 1 || o.Rounds < 1 || o.TargetMs <= 0 || o.MinIterations < 1) throw new ArgumentException("threads, rounds, target-ms and min-iters must be positive");
        return o;
    }

    /// <summary>Rounds when --rounds is not given: as many as fit about a minute of both sides' measurements, at
    /// least 5 (a median needs a few) and at most 15 (enough for a short case on a noisy machine). A measurement over
    /// <see cref="LongMeasurementMs"/> (a whole training epoch, itself an average over hundreds of steps) gets 3, so
    /// that the bench stays a few minutes on 2 cores.</summary>
    public static int RoundsFor(double measurementMs) =>
        Math.Clamp((int)(60_000 / (2 * measurementMs)), measurementMs > LongMeasurementMs ? 3 : 5, 15);

    const double LongMeasurementMs = 5_000;

    /// <summary>The repository root: the first folder upwards holding bench/reference.py (from the working directory,
    /// then from the program's own folder).</summary>
    static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "bench", "reference.py"))) return dir.FullName;
        throw new InvalidOperationException("cannot find bench/reference.py above the working directory");
    }
}
