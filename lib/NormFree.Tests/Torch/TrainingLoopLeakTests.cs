using NormFree.Init;
using NormFree.Optim;
using Xunit.Abstractions;

namespace NormFree.Tests.Torch;

/// <summary>Thousands of training steps of a small conv net — TorchSharp modules, torch.optim.SGD with momentum, the
/// gradient hooks run as the trainer runs them — free every tensor they make and keep the process's memory flat.</summary>
[Collection(GlobalState.Name)]
public class TrainingLoopLeakTests(ITestOutputHelper output)
{
    const int Steps = 2000;
    /// <summary>RSS climbs ~15 MB over the first ~1,000 steps (allocator caches, tiered JIT) and is flat after
    /// (measured over 8,000 steps); the memory check starts after it.</summary>
    const int WarmUp = 1000;
    /// <summary>RSS may wander by allocator caching; a leak of this loop's activations (~30 KB a step) would add
    /// ~60 MB over 2,000 steps, so 16 MB separates the two.</summary>
    const double RssNoiseMb = 16;

    /// <summary>conv(1→4, 3×3) → batch norm (training, running statistics) → relu → max pool → conv(4→4, 3×3, stride 2)
    /// → dropout → global average pool → flatten → linear(4→3).</summary>
    static Sequential TinyConvNet(Generator g)
    {
        var net = nn.Sequential(
            ("conv1", nn.Conv2d(1, 4, 3, padding: 1)), ("bn", nn.BatchNorm2d(4)), ("relu", nn.ReLU()), ("pool", nn.MaxPool2d(2)),
            ("conv2", nn.Conv2d(4, 4, 3, stride: 2, padding: 1, bias: false)), ("drop", nn.Dropout(0.1)),
            ("gap", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten()), ("fc", nn.Linear(4, 3)));
        foreach (var conv in net.modules().OfType<Conv2d>()) init.kaiming_normal_(conv.weight, nonlinearity: "relu", generator: g);
        return net;
    }

    /// <summary>Resident set size after an aggressive collection, which returns the GC's free regions to the system
    /// (otherwise the managed heap's committed-but-free memory, tens of MB after 2,000 steps, counts as growth).</summary>
    static double RssMb()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        throw new InvalidOperationException("no VmRSS in /proc/self/status");
    }

    [Fact]
    public void TwoThousandStepsKeepTheLiveTensorCountAndTheMemoryFlat()
    {
        using var g = new Generator(7);
        using var net = TinyConvNet(g);
        using var optimizer = torch.optim.SGD(net.parameters(), 0.05, momentum: 0.9, weight_decay: 5e-4);
        IGradientHook[] hooks = [new AdaptiveGradientClipping(0.1)];
        using var x = torch.randn([8, 1, 8, 8], generator: g);
        using var y = torch.randint(0, 3, [8], generator: g);

        double Step()
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = F.cross_entropy(net.call(x), y);
            loss.backward();
            GradientHooks.apply(net.parameters(), hooks);
            optimizer.step();
            return loss.item<float>();
        }

        var first = Step(); // creates the momentum buffers
        for (var i = 1; i < WarmUp; i++) Step();
        LeakCheck.SettleGarbage();
        var rssBefore = RssMb();
        var thread = LeakCheck.ThreadLive;
        var process = Tensor.TotalCount;
        var last = 0.0;
        for (var i = 0; i < Steps; i++) last = Step();
        // Before any collection: the dispose scope, not the finalizer backstop, must have freed every temporary.
        Assert.Equal(thread, LeakCheck.ThreadLive);
        LeakCheck.SettleGarbage();
        // Process-wide too (tensors made on other threads, e.g. by autograd). Not across module construction:
        // TorchSharp's count keeps one per Parameter it wraps, even after the module is disposed.
        Assert.Equal(process, Tensor.TotalCount);
        var rssAfter = RssMb();
        output.WriteLine($"loss {first:F4} → {last:F4}; RSS {rssBefore:F1} MB → {rssAfter:F1} MB over {Steps} steps; live tensors on this thread {thread}");

        Assert.True(last < first, $"the loop should train: loss {first} → {last}");
        Assert.True(rssAfter - rssBefore < RssNoiseMb, $"RSS grew from {rssBefore:F1} MB to {rssAfter:F1} MB over {Steps} steps");
    }
}
