using System.Collections;
using System.Diagnostics;
using NormFree.Data;
using NormFree.Tests.Data;
using NormFree.Training;
using PyTorchUnpickler = TorchSharp.PyBridge.PyTorchUnpickler;

namespace NormFree.Tests.Training;

/// <summary>PyTorch, run as Debian's <c>/usr/bin/python3</c> (PyTorch 1.13): the tests that need it are skipped, with the
/// reason, only where <c>import torch</c> fails there.</summary>
static class PyTorch
{
    public const string Python = "/usr/bin/python3";

    /// <summary>Why PyTorch cannot be used here, or null when it can.</summary>
    public static readonly string? Unavailable = Probe();

    static string? Probe()
    {
        if (!File.Exists(Python)) return $"{Python} does not exist";
        var (code, output) = Run("import torch; print(torch.__version__)", []);
        return code == 0 ? null : $"'import torch' fails in {Python} (exit {code}): {output.Trim()}";
    }

    /// <summary>Runs <paramref name="script"/> with <paramref name="args"/> as sys.argv[1:]; the exit code and stdout
    /// with stderr.</summary>
    public static (int Code, string Output) Run(string script, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after 2 minutes\n{stdout}");
        }
        return (process.ExitCode, stdout + stderr.Result);
    }

    /// <summary>Runs the script and fails the test with its output unless it exits with 0; returns its output.</summary>
    public static string Check(string script, params string[] args)
    {
        var (code, output) = Run(Prelude + script, args);
        Assert.True(code == 0, $"python exited with {code}:\n{output}");
        return output;
    }

    /// <summary>The mirror of <see cref="PyTorchInteropTests.Net"/> in torch.nn, and a safetensors reader (Debian's
    /// PyTorch has no safetensors package; the format is simple enough to read by its spec).</summary>
    const string Prelude = """
        import json, struct, sys, torch
        from torch import nn
        torch.set_num_threads(1)

        def mirror():
            return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Flatten(), nn.Linear(4 * 4 * 4, 3))

        DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "I64": torch.int64,
                  "I32": torch.int32, "U8": torch.uint8, "BOOL": torch.bool}

        def load_safetensors(path):
            with open(path, "rb") as f:
                data = f.read()
            n = struct.unpack("<Q", data[:8])[0]
            header = json.loads(data[8:8 + n])
            metadata = header.pop("__metadata__", {})
            tensors = {}
            for name, e in header.items():
                begin, end = e["data_offsets"]
                dtype = DTYPES[e["dtype"]]
                chunk = bytearray(data[8 + n + begin:8 + n + end])
                flat = torch.frombuffer(chunk, dtype=dtype) if chunk else torch.empty(0, dtype=dtype)
                tensors[name] = flat.reshape(e["shape"]).clone()
            return tensors, metadata

        def same_outputs(model, probe_path):
            probe, _ = load_safetensors(probe_path)
            model.eval()
            with torch.no_grad():
                y = model(probe["x"])
            error = (y - probe["y"]).abs().max().item()
            print("max |pytorch - torchsharp| =", error)
            assert error < 1e-5, error

        """;
}

/// <summary>A <see cref="FactAttribute"/> that skips, with the reason, where PyTorch cannot be imported.</summary>
public sealed class PyTorchFactAttribute : FactAttribute
{
    public PyTorchFactAttribute()
    {
        if (PyTorch.Unavailable is { } reason) Skip = reason;
    }
}

/// <summary>Checkpoints and weight files cross to PyTorch and back: the checkpoint's safetensors weights load into the
/// same network built from torch.nn with <c>strict=True</c> and compute the same outputs, its optimizer file loads
/// into torch.optim.SGD, <see cref="Checkpoint.export_pt"/> writes what <c>torch.load</c> reads, and a state dict
/// PyTorch saved imports with <see cref="Checkpoint.import_pt"/>. Trains with the global generator, so serial.</summary>
[Collection(SerialTrainingCollection.Name)]
public sealed class PyTorchInteropTests : IDisposable
{
    readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>conv → batch norm (running statistics and a step count as buffers) → relu → pool → linear, on 1×8×8.</summary>
    internal static Sequential Net() => nn.Sequential(nn.Conv2d(1, 4, 3, padding: 1), nn.BatchNorm2d(4), nn.ReLU(),
        nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 4 * 4, 3));

    /// <summary>A probe batch and the model's output on it (eval mode), as a safetensors file for the Python side.</summary>
    string Probe(nn.Module<Tensor, Tensor> model, string name)
    {
        using var g = new Generator(17);
        using var x = torch.randn([5, 1, 8, 8], generator: g);
        model.eval();
        Tensor output;
        using (torch.no_grad()) output = model.call(x);
        using var y = output;
        var path = folder.File(name);
        Safetensors.save_file(new Dictionary<string, Tensor> { ["x"] = x, ["y"] = y }, path);
        return path;
    }

    [PyTorchFact]
    public void ACheckpointLoadsInPyTorchStrictlyWithItsOptimizerAndMetadata()
    {
        using var data = Synthetic.blobs(96, [1, 8, 8], 3, seed: 4);
        torch.manual_seed(6);
        using var model = Net();
        var config = new TrainConfig
        {
            Name = "interop", Epochs = 1, BatchSize = 32, LearningRate = 0.05, Momentum = 0.9, WeightDecay = 1e-4,
            Progress = false, CheckpointDir = folder.File("run"),
        };
        using (var trainer = new Trainer(model, data, data, config)) trainer.fit();
        var weights = Checkpoint.latest(config.CheckpointDir!)!;
        var probe = Probe(model, "probe.safetensors");

        var output = PyTorch.Check("""
            weights, metadata = load_safetensors(sys.argv[1])
            model = mirror()
            model.load_state_dict(weights, strict=True)
            assert metadata["format"] == "normfree-checkpoint-2", metadata["format"]
            assert metadata["epoch"] == "1", metadata["epoch"]
            history = json.loads(metadata["history"])
            assert len(history["epochs"]) == 1 and len(history["step_losses"]) == 3, history
            same_outputs(model, sys.argv[2])

            state = torch.load(sys.argv[3])
            optimizer = torch.optim.SGD(model.parameters(), lr=1.0, momentum=0.9, weight_decay=1e-4)
            optimizer.load_state_dict(state)
            group = optimizer.param_groups[0]
            assert abs(group["lr"] - 0.05) < 1e-12, group["lr"]
            buffers = [optimizer.state[p]["momentum_buffer"] for p in model.parameters()]
            assert all(b.shape == p.shape for b, p in zip(buffers, model.parameters()))
            print("loaded", len(weights), "tensors and", len(buffers), "momentum buffers")
            """, weights, probe, Checkpoint.OptimizerPathFor(weights));
        Assert.Contains("loaded 9 tensors and 6 momentum buffers", output);
    }

    [PyTorchFact]
    public void AnExportedPtFileLoadsInPyTorch()
    {
        torch.manual_seed(8);
        using var model = Net();
        using (var x = torch.randn([16, 1, 8, 8])) using (model.call(x)) { }   // running statistics away from 0 and 1
        var pt = folder.File("model.pt");
        Checkpoint.export_pt(model, pt);
        var probe = Probe(model, "probe.safetensors");
        PyTorch.Check("""
            model = mirror()
            model.load_state_dict(torch.load(sys.argv[1]), strict=True)
            assert model[1].num_batches_tracked.item() == 1
            same_outputs(model, sys.argv[2])
            """, pt, probe);
    }

    [PyTorchFact]
    public void AStateDictPyTorchSavedImportsAndAMismatchIsRefusedByName()
    {
        var plain = folder.File("torch.pt");
        var nested = folder.File("torch-nested.pt");
        var expected = folder.File("expected.pt");
        PyTorch.Check("""
            torch.manual_seed(3)
            model = mirror()
            model.train()
            model(torch.randn(16, 1, 8, 8))          # running statistics and num_batches_tracked move
            model.eval()
            torch.save(model.state_dict(), sys.argv[1])
            torch.save({"model": model.state_dict(), "epoch": 3}, sys.argv[2])
            x = torch.randn(5, 1, 8, 8)
            with torch.no_grad():
                torch.save({"x": x, "y": model(x)}, sys.argv[3])
            """, plain, nested, expected);

        var reference = PyTorchUnpickler.UnpickleStateDict(expected);
        using var x = (Tensor)reference["x"]!;
        using var y = (Tensor)reference["y"]!;
        foreach (var (path, key) in new[] { (plain, (string?)null), (nested, "model") })
        {
            torch.manual_seed(99);
            using var model = Net();
            Checkpoint.import_pt(model, path, key);
            model.eval();
            using var _ = torch.no_grad();
            using var output = model.call(x);
            Assert.True(TensorDiff.MaxAbs(output, y) < 1e-5, $"{path}: max |torchsharp − pytorch| = {TensorDiff.MaxAbs(output, y)}");
        }

        using var wider = nn.Sequential(nn.Conv2d(1, 5, 3, padding: 1), nn.BatchNorm2d(5), nn.ReLU(),
            nn.MaxPool2d(2), nn.Flatten(), nn.Linear(5 * 4 * 4, 3));
        var e = Assert.Throws<ArgumentException>(() => Checkpoint.import_pt(wider, plain));
        Assert.Contains(plain, e.Message);
        Assert.Contains("'0.weight' has shape [4, 1, 3, 3] there and [5, 1, 3, 3] in the model", e.Message);
        var e2 = Assert.Throws<InvalidDataException>(() => Checkpoint.import_pt(wider, nested));
        Assert.Contains(nested, e2.Message);
        Assert.Contains("\"model\"", e2.Message);
    }
}
