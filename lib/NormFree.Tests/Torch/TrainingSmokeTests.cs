using NormFree.Init;

namespace NormFree.Tests.Torch;

/// <summary>TorchSharp loads and trains on this machine: a small net learns a linearly separable synthetic task with
/// torch.optim.SGD in a few dozen steps. (On Debian 12 this fails at the first tensor op when the load fix is missing.)</summary>
public class TrainingSmokeTests
{
    const int Steps = 40;

    /// <summary>Two Gaussian blobs in 2-D, centred at ±(1.5, 1.5) with unit variance per axis, labels 0 and 1, and the
    /// noiseless separating rule x₀ + x₁ &gt; 0 as the label (so a linear boundary fits it perfectly).</summary>
    static (Tensor x, Tensor y) Blobs(Generator g, int n)
    {
        using var noise = torch.randn([n, 2], generator: g);
        using var side = torch.randint(0, 2, [n], generator: g);
        using var sign = side * 2 - 1;                          // ±1
        using var signF = sign.to(ScalarType.Float32).unsqueeze(1);
        using var centre = signF * 1.5;
        var x = noise + centre;                                 // (n, 2)
        using var sum = x.sum(1);
        var y = sum.gt(0).to(ScalarType.Int64);                 // (n)
        return (x, y);
    }

    [Fact]
    public void ASmallNetLearnsASeparableTaskWithSgd()
    {
        using var g = new Generator(12);
        var (x, y) = Blobs(g, 256);
        using var _x = x;
        using var _y = y;
        using var net = nn.Sequential(("fc1", nn.Linear(2, 16)), ("act", nn.ReLU()), ("fc2", nn.Linear(16, 2)));
        foreach (var layer in net.modules().OfType<Linear>()) init.default_(layer.weight, layer.bias, g);
        using var optimizer = torch.optim.SGD(net.parameters(), 0.1, momentum: 0.9);

        double LossAndStep()
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = F.cross_entropy(net.call(x), y);
            loss.backward();
            optimizer.step();
            return loss.item<float>();
        }

        var first = LossAndStep();
        var last = first;
        for (var i = 1; i < Steps; i++) last = LossAndStep();

        double accuracy;
        using (torch.no_grad())
        using (var logits = net.call(x))
        using (var predicted = logits.argmax(1))
        using (var correct = predicted.eq(y))
        using (var mean = correct.to(ScalarType.Float32).mean())
            accuracy = mean.item<float>();
        Assert.True(last < 0.25 * first, $"loss {first:F4} → {last:F4} over {Steps} steps");
        Assert.True(accuracy >= 0.95, $"training accuracy {accuracy:P1}");
    }
}
