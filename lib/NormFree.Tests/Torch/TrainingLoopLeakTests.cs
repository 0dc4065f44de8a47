using NormFree.Nn;
using NormFree.Torch;
using Xunit.Abstractions;

namespace NormFree.Tests.Torch;

/// <summary>Issue 2, acceptance 4: thousands of training steps of a small conv net free every tensor they make
/// and keep the process's memory flat.</summary>
[Collection(GlobalState.Name)]
public class TrainingLoopLeakTests(ITestOutputHelper output)
{
    const int Steps = 2000;
    const int WarmUp = 200;
    const double Lr = 0.05;
    /// <summary>RSS may wander by allocator caching; a leak of this loop's activations (~30 KB a step) would add
    /// ~60 MB over 2,000 steps, so 16 MB separates the two.</summary>
    const double RssNoiseMb = 16;

    /// <summary>conv(1→4, 3×3) → batch norm (training, running statistics) → relu → max pool → conv(4→4, 3×3, stride 2)
    /// → dropout → global average pool → linear(4→3) → cross-entropy, trained by hand-written SGD.</summary>
    sealed class TinyConvNet : IDisposable
    {
        readonly Tensor w1, b1, gamma, beta, runningMean, runningVar, w2, w3, b3;
        public readonly Tensor[] Parameters;

        public TinyConvNet(Generator g)
        {
            w1 = Param(torch.randn([4, 1, 3, 3], generator: g) * 0.3);
            b1 = Param(torch.zeros([4]));
            gamma = Param(torch.ones([4]));
            beta = Param(torch.zeros([4]));
            runningMean = torch.zeros([4]);
            runningVar = torch.ones([4]);
            w2 = Param(torch.randn([4, 4, 3, 3], generator: g) * 0.2);
            w3 = Param(torch.randn([3, 4], generator: g) * 0.5);
            b3 = Param(torch.zeros([3]));
            Parameters = [w1, b1, gamma, beta, w2, w3, b3];
        }

        static Tensor Param(Tensor t) { using (t) return t.detach().requires_grad_(); }

        public Tensor Loss(Tensor x, Tensor y)                                                  // x (B, 1, 8, 8), y (B)
        {
            var h = F.conv2d(x, w1, b1, padding: 1);                                             // (B, 4, 8, 8)
            h = F.relu(F.batch_norm(h, runningMean, runningVar, gamma, beta, training: true));
            h = F.max_pool2d(h, 2);                                                              // (B, 4, 4, 4)
            h = F.dropout(F.conv2d(h, w2, null, stride: 2, padding: 1), 0.1);                    // (B, 4, 2, 2)
            h = F.adaptive_avg_pool2d(h, 1).flatten(1);                                          // (B, 4)
            return F.cross_entropy(F.linear(h, w3, b3), y);
        }

        public double Step(Tensor x, Tensor y)
        {
            using var scope = torch.NewDisposeScope();
            var loss = Loss(x, y);
            loss.backward();
            using (torch.no_grad())
                foreach (var p in Parameters)
                {
                    p.sub_(p.grad!, Lr);
                    p.grad = null;
                }
            return loss.item();
        }

        public void Dispose()
        {
            foreach (var t in new[] { w1, b1, gamma, beta, runningMean, runningVar, w2, w3, b3 }) t.Dispose();
        }
    }

    static double RssMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        throw new InvalidOperationException("no VmRSS in /proc/self/status");
    }

    [Fact]
    public void TwoThousandStepsEndWithTheStartingHandleCountAndFlatMemory()
    {
        LeakCheck.SettleGarbage(); // earlier tests' finalizable garbage must not move the counts
        var managedBefore = Tensor.LiveCount;
        var nativeBefore = torch.native_live_tensors();

        using var g = new Generator(7);
        using var net = new TinyConvNet(g);
        using var x = torch.randn([8, 1, 8, 8], generator: g);
        using var y = torch.randint(0, 3, [8], generator: g);
        var first = net.Step(x, y);
        for (var i = 1; i < WarmUp; i++) net.Step(x, y);
        LeakCheck.SettleGarbage();
        var rssBefore = RssMb();
        var handlesDuringTraining = torch.native_live_tensors();
        var last = 0.0;
        for (var i = 0; i < Steps; i++) last = net.Step(x, y);
        // Before any collection: the dispose scope, not the finalizer backstop, must have freed every temporary.
        Assert.Equal(handlesDuringTraining, torch.native_live_tensors());
        LeakCheck.SettleGarbage();
        var rssAfter = RssMb();
        output.WriteLine($"loss {first:F4} → {last:F4}; RSS {rssBefore:F1} MB → {rssAfter:F1} MB over {Steps} steps; native handles {handlesDuringTraining}");

        Assert.Equal(handlesDuringTraining, torch.native_live_tensors());
        Assert.True(last < first, $"the loop should train: loss {first} → {last}");
        Assert.True(rssAfter - rssBefore < RssNoiseMb, $"RSS grew from {rssBefore:F1} MB to {rssAfter:F1} MB over {Steps} steps");
        net.Dispose();
        x.Dispose();
        y.Dispose();
        Assert.Equal(managedBefore, Tensor.LiveCount);
        Assert.Equal(nativeBefore, torch.native_live_tensors());
    }
}
