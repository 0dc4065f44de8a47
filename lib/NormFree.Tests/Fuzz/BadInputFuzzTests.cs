using System.Runtime.InteropServices;
using NormFree.Analysis;
using NormFree.Data;
using NormFree.Methods.Baselines;
using NormFree.Methods.ConstNet;
using NormFree.Methods.Farkas;
using NormFree.Methods.MeanShiftRejection;
using NormFree.Methods.Peers;
using NormFree.Models;
using NormFree.Nn;
using NormFree.Training;
using Xunit.Abstractions;

namespace NormFree.Tests.Fuzz;

/// <summary>Malformed calls into the library's entry points that end in native code: every call either succeeds or
/// throws a .NET exception (ArgumentException, InvalidOperationException, IOException or InvalidDataException for files, ExternalException — TorchSharp's wrapper of
/// a libtorch error), and the process survives (the test finishing is the proof). Inputs are drawn from a fixed seed,
/// so a failure names a reproducible case.</summary>
public class BadInputFuzzTests(ITestOutputHelper output)
{
    const int Seed = 20240611;

    static readonly Type[] Allowed = [typeof(ArgumentException), typeof(InvalidOperationException), typeof(ExternalException), typeof(IOException), typeof(InvalidDataException)];

    int succeeded, threw;

    void Call(string what, Action action)
    {
        try { using var scope = torch.NewDisposeScope(); action(); succeeded++; }
        catch (Exception e)
        {
            Assert.True(Allowed.Any(t => t.IsInstanceOfType(e)), $"{what}: {e.GetType()}: {e.Message}");
            threw++;
        }
    }

    /// <summary>A random malformed input around the expected (B, C, H, W) float32 shape.</summary>
    static (string Name, Tensor X) Malformed(Random r, long channels)
    {
        long b = r.Next(0, 4), c = channels, h = r.Next(0, 9), w = r.Next(0, 9);
        switch (r.Next(7))
        {
            case 0: return ($"rank {r.Next(0, 4)}", torch.randn(Enumerable.Repeat(2L, r.Next(0, 4)).ToArray()));
            case 1: return ("rank 5", torch.randn([2, channels, 4, 4, 2]));
            case 2: c = channels + r.Next(1, 4) * (r.Next(2) * 2 - 1); return ($"channels {c}", torch.randn([2, Math.Max(c, 0), 8, 8]));
            case 3: return ("int64", torch.randint(0, 5, [2, channels, 8, 8]));
            case 4: return ("float64", torch.randn([2, channels, 8, 8], ScalarType.Float64));
            case 5: return ($"empty ({b}, {c}, {h}, {w})", torch.randn([b, c, h, w]));
            default: return ("bool", torch.ones([2, channels, 8, 8], ScalarType.Bool));
        }
    }

    static IEnumerable<(string Name, Func<nn.Module<Tensor, Tensor>> Make, long Channels)> Models()
    {
        var plain = ResNetConfig.ResNet(8) with { InChannels = 1, Normalization = false };
        var bn = ResNetConfig.ResNet(8) with { InChannels = 1 };
        yield return ("ResNet (BN)", () => ResNet.Build(bn), 1);
        yield return ("ResNet (plain)", () => ResNet.Build(plain), 1);
        yield return ("PlainResNet", () => PlainResNet.Build(plain), 1);
        yield return ("FixUp", () => FixUp.Build(plain), 1);
        yield return ("SkipInit", () => SkipInit.Build(plain), 1);
        yield return ("NFResNet", () => NFResNet.Build(NFResNet.Config(8) with { InChannels = 1 }), 1);
        yield return ("MsrResNet", () => MsrResNet.Build(plain, MsrConfig.CZMIGNoise), 1);
        yield return ("FarkasNet", () => FarkasNet.Build(new FarkasNetConfig(FarkasNet.Architecture([2, 1]) with { InChannels = 1 }, Aggregation.Sum)), 1);
        yield return ("ConstNet", () => ConstNet.Build(ConstNetConfig.WRN16(1)), 3);
        yield return ("WeightNorm(Conv2d)", () => new WeightNorm(nn.Conv2d(3, 4, 3, padding: 1)), 3);
        yield return ("WeightNorm(Linear) on images", () => new WeightNorm(nn.Linear(3, 4)), 3);
        yield return ("ZeroPadShortcut", () => new ZeroPadShortcut(3, 8, 2), 3);
    }

    [Fact]
    public void MalformedForwardsThrowDotNetExceptions()
    {
        var r = new Random(Seed);
        foreach (var (name, make, channels) in Models())
        {
            using var model = make();
            foreach (var mode in new[] { true, false })
            {
                model.train(mode);
                for (var k = 0; k < 25; k++)
                {
                    var (what, x) = Malformed(r, channels);
                    using (x) Call($"{name} ({(mode ? "train" : "eval")}) on {what}", () => model.call(x).Dispose());
                }
            }
        }
        output.WriteLine($"forwards: {succeeded} succeeded, {threw} threw");
        Assert.True(threw > 200, $"only {threw} malformed forwards threw");
    }

    [Fact]
    public void MalformedAnalysesThrowDotNetExceptions()
    {
        var r = new Random(Seed + 1);
        using var model = nn.Linear(4, 3);
        var parameters = model.parameters().ToArray();
        for (var k = 0; k < 150; k++)
        {
            var kind = r.Next(8);
            Tensor[] v = kind switch
            {
                0 => [torch.randn(3, 4)], // too few
                1 => [torch.randn(4, 3), torch.randn(3)], // wrong shapes
                2 => [torch.randn([3, 4], ScalarType.Float64), torch.randn([3], ScalarType.Float64)], // float64
                3 => [torch.randint(0, 3, [3, 4]), torch.randint(0, 3, [3])], // int64
                _ => [torch.randn(3, 4), torch.randn(3)],
            };
            var x = kind == 4 ? torch.randn(2, 5) : kind == 5 ? torch.randn([2, 4], ScalarType.Float64) : torch.randn(2, 4);
            Func<Tensor> loss = r.Next(4) switch
            {
                0 => () => model.call(x).sum(1), // not a scalar
                1 => () => model.call(x).detach().sum(), // no gradient
                2 => () => torch.tensor(1.0f), // constant
                _ => () => model.call(x).pow(2).sum(),
            };
            Tensor[] ps = kind == 6 ? [parameters[0].detach(), parameters[1].detach()] : [.. parameters]; // requires_grad = false
            Call($"Hessian.hvp case {k} (kind {kind})", () => { foreach (var t in Hessian.hvp(loss, ps, v)) t.Dispose(); });
            if (k % 5 == 0)
                Call($"Hessian.top_eigenvalue case {k}", () => Hessian.top_eigenvalue(ps, [loss], new PowerIterationOptions { MaxIterations = 2 }));
            foreach (var t in v) t.Dispose();

            var start = (k % 4) switch { 0 => torch.randint(0, 3, [2, 4]), 1 => torch.randn([2, 4], ScalarType.Float64), 2 => torch.randn(2, 7), _ => torch.randn(0, 4) };
            Func<Tensor, Tensor> pre = (k % 3) switch { 0 => t => model.call(t), 1 => t => model.call(t).detach(), _ => t => torch.zeros(2, 3) };
            Call($"DeadUnits.adversarial_input case {k}", () => DeadUnits.adversarial_input(pre, start, steps: 2).Dispose());
            start.Dispose();
            x.Dispose();
        }
        output.WriteLine($"analyses: {succeeded} succeeded, {threw} threw");
        Assert.True(threw > 100, $"only {threw} malformed analysis calls threw");
    }

    [Fact]
    public void MalformedDatasetsLoadersAndCheckpointsThrowDotNetExceptions()
    {
        var r = new Random(Seed + 2);
        for (var k = 0; k < 150; k++)
        {
            long n = r.Next(0, 6);
            var inputs = (k % 5) switch
            {
                0 => torch.randn(n), 1 => torch.randn([n, 1, 4, 4], ScalarType.Float64), 2 => torch.randint(0, 255, [n, 1, 4, 4]), _ => torch.randn(n, 1, 4, 4),
            };
            var targets = (k % 7) switch
            {
                0 => torch.randint(0, 10, [n + 1]), 1 => torch.randn(n), 2 => torch.randint(-3, 30, [n]), 3 => torch.randint(0, 10, [n, 2]), _ => torch.randint(0, 10, [n]),
            };
            var classes = r.Next(-1, 12);
            Call($"InMemoryDataset case {k}", () =>
            {
                using var data = new InMemoryDataset(inputs.clone(), targets.clone(), classes);
                var loader = new BatchLoader(data, r.Next(-1, 4), shuffle: r.Next(2) == 0, drop_last: r.Next(2) == 0, seed: (ulong)k);
                foreach (var batch in loader.epoch(r.Next(-1, 2), r.Next(-1, 3))) batch.Dispose();
            });
            inputs.Dispose();
            targets.Dispose();
        }

        var dir = Path.Combine(Path.GetTempPath(), $"normfree-fuzz-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            using var model = ResNet.Build(ResNetConfig.ResNet(8) with { InChannels = 1 });
            using var sgd = torch.optim.SGD(model.parameters(), 0.1, momentum: 0.9);
            for (var k = 0; k < 60; k++)
            {
                var path = Path.Combine(dir, $"garbage{k}.safetensors");
                var bytes = new byte[r.Next(0, 512)];
                r.NextBytes(bytes);
                if (k % 3 == 0 && bytes.Length >= 8) BitConverter.GetBytes((ulong)r.Next(0, 64)).CopyTo(bytes, 0); // a small header size
                if (k % 3 == 1) bytes = [.. BitConverter.GetBytes(20UL), .. "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}"u8.ToArray()[..20], .. bytes];
                File.WriteAllBytes(path, bytes);
                Call($"Checkpoint.load garbage {k}", () => Checkpoint.load(path, model, sgd));
                Call($"Checkpoint.metadata garbage {k}", () => Checkpoint.metadata(path));
            }
            Call("Checkpoint.load missing file", () => Checkpoint.load(Path.Combine(dir, "missing"), model, sgd));
        }
        finally { Directory.Delete(dir, recursive: true); }
        output.WriteLine($"data and checkpoints: {succeeded} succeeded, {threw} threw");
        Assert.True(threw > 150, $"only {threw} malformed data calls threw");
    }
}
