using NormFree.Methods.MeanShiftRejection;
using NormFree.Models;
using NormFree.Nn;
using NormFree.Optim;

namespace NormFree.Tests.Methods;

/// <summary>The Mean Shift Rejection ResNet (Ruff et al. 2019, §3–§4) built from the shared builder.</summary>
public class MsrResNetTests
{
    static readonly long[] Spatial = [2, 3];

    static void AssertUnitFilters(Parameter v)
    {
        using var norms = msr.filter_norms(v);
        Assert.All(norms.data<float>(), n => Assert.Equal(1.0, n, 5));
    }

    [Fact]
    public void ResNet20HasExponentialConvsCzmKernelsAndNoNormalization()
    {
        torch.manual_seed(1);
        using var net = MsrResNet.Build(ResNetConfig.ResNet20, MsrConfig.CZMIG);
        // 268,346 parameters in the plain (no-BN, bias-free) ResNet-20, plus one g per filter: 16 + 6·16 + 6·32 + 6·64.
        Assert.Equal(268_346L + 688L, net.parameters().Sum(p => p.numel()));
        Assert.Empty(net.modules().OfType<BatchNorm2d>());
        var convs = net.modules().OfType<WeightNorm>().ToList();
        Assert.Equal(19, convs.Count);
        Assert.All(convs, wn => Assert.Equal(WeightNormMode.Exponential, wn.mode));
        Assert.All(convs, wn => Assert.All(wn.weight_g.data<float>(), g => Assert.Equal(0.8, Math.Exp(g), 6)));
        var zeroMean = MsrResNet.zero_mean_kernels(net, MsrConfig.CZMIG);
        Assert.Equal(18, zeroMean.Count); // every conv but the stem's (§2)
        Assert.All(zeroMean, v => Assert.True(msr.common_mode_fraction(v) < 1e-6));
        Assert.All(MsrResNet.kernels(net), AssertUnitFilters);
        var stem = ((WeightNorm)((Sequential)net.stem)[0]).weight_v;
        Assert.DoesNotContain(stem, zeroMean);
        Assert.True(msr.common_mode_fraction(stem) > 0.05);
        Assert.All(net.blocks, b => Assert.Null(b.input)); // no noise in CZMIG
        using var luma = MsrResNet.luma_loss(net, MsrConfig.CZMIG);
        Assert.True(luma.ToDouble() < 1e-10, "every filter starts on LUMA's anchor ‖V_f‖ = 1");
    }

    [Fact]
    public void FirstLayerSwitchAndNoiseSwitch()
    {
        var config = MsrConfig.CZMIGNoise with { ZeroMeanFirstLayer = true };
        using var net = MsrResNet.Build(ResNetConfig.ResNet(8) with { InChannels = 1 }, config);
        var zeroMean = MsrResNet.zero_mean_kernels(net, config);
        Assert.Equal(7, zeroMean.Count); // the stem and the 2 convs of each of the 3 blocks
        var stem = ((WeightNorm)((Sequential)net.stem)[0]).weight_v;
        Assert.Contains(stem, zeroMean);
        Assert.True(msr.common_mode_fraction(stem) < 1e-6);
        Assert.All(net.blocks, b => Assert.Equal(0.1, Assert.IsType<MultiplicativeNoise>(b.input).amplitude));
        Assert.Contains(net.named_modules(), e => e.name == "stage3.0.input");
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void FoldingTheScaleGivesThePlainNetWithTheSameOutputs(ulong seed)
    {
        torch.manual_seed((long)seed);
        var resnet = ResNetConfig.ResNet(14) with { InChannels = 1, ConvBias = true };
        using var net = MsrResNet.Build(resnet, MsrConfig.CZMIGNoise);
        using (torch.no_grad())
            foreach (var (name, p) in net.named_parameters().Where(e => e.name.EndsWith("weight_g") || e.name.EndsWith("bias")))
            {
                using var r = torch.randn(p.shape);
                using var moved = r * 0.2;
                p.add_(moved); // away from e^g = 0.8 and b = 0, so the fold has something to fold
            }
        net.eval();
        using var x = torch.randn([3, 1, 16, 16]);
        using var y = net.call(x);
        using var plain = MsrResNet.fold(net);
        Assert.Empty(plain.modules().OfType<WeightNorm>());
        Assert.Empty(plain.modules().OfType<MultiplicativeNoise>());
        Assert.False(plain.training);
        using var reference = ResNet.Build(resnet with { Normalization = false });
        Assert.Equal(reference.named_parameters().Select(e => e.name), plain.named_parameters().Select(e => e.name));
        using var z = plain.call(x);
        Assert.True(y.allclose(z, 1e-5, 1e-6));
    }

    [Fact]
    public void NoiseChangesTrainingOutputsOnly()
    {
        torch.manual_seed(3);
        using var net = MsrResNet.Build(ResNetConfig.ResNet(8) with { InChannels = 1 }, MsrConfig.CZMIGNoise);
        using var x = torch.randn([2, 1, 12, 12]);
        using var _ = torch.no_grad();
        using var a = net.call(x);
        using var b = net.call(x);
        Assert.False(a.allclose(b, 1e-6, 1e-7));
        net.eval();
        using var c = net.call(x);
        using var d = net.call(x);
        Assert.True(c.Equals(d));
    }

    [Fact]
    public void OneTrainingStepAdjustsOnlyTheZeroMeanKernelsAndStaysFinite()
    {
        torch.manual_seed(4);
        var config = MsrConfig.CZMIGNoise;
        using var net = MsrResNet.Build(ResNetConfig.ResNet(8) with { InChannels = 1 }, config);
        using var x = torch.randn([4, 1, 16, 16]);
        using var target = torch.tensor(new long[] { 1, 2, 3, 4 });
        using (torch.NewDisposeScope())
        {
            var loss = F.cross_entropy(net.call(x), target) + MsrResNet.luma_loss(net, config);
            Assert.True(double.IsFinite(loss.ToDouble()));
            loss.backward();
        }
        var zeroMean = MsrResNet.zero_mean_kernels(net, config);
        var before = net.named_parameters().ToDictionary(e => e.name, e => { using var g = e.parameter.grad!; return g.clone(); });
        MsrResNet.zero_mean_gradients(net, config).apply();
        foreach (var (name, p) in net.named_parameters())
        {
            using var g = p.grad!;
            using var old = before[name];
            using var finite = g.isfinite().all();
            Assert.True(finite.item<bool>(), $"non-finite gradient for {name}");
            if (!zeroMean.Contains(p))
            {
                Assert.True(g.Equals(old), $"{name} is not a zero-mean kernel, its gradient must not change");
                continue;
            }
            using var mean = g.mean(Spatial, keepdim: true);
            using var oldMean = old.mean(Spatial, keepdim: true);
            using var expected = oldMean * (1 - config.Zmg);
            Assert.True(mean.allclose(expected, 1e-4, 1e-9), $"{name}: slice means not scaled by 1 − z");
        }
    }
    [Theory]
    [InlineData(5UL)]
    [InlineData(6UL)]
    public void CzmgAsAGradientHookRunsBetweenBackwardAndTheUpdate(ulong seed)
    {
        torch.manual_seed((long)seed);
        var config = MsrConfig.CZMIG;
        using var net = MsrResNet.Build(ResNetConfig.ResNet(8) with { InChannels = 1 }, config);
        const double lr = 0.1;
        using var sgd = torch.optim.SGD(net.parameters(), lr); // no momentum: the update is −lr · (hooked gradient)
        IGradientHook[] hooks = [MsrResNet.zero_mean_gradients(net, config)];
        using var x = torch.randn([4, 1, 12, 12]) + 2; // inputs with a mean, so the kernels' gradients have slice means
        using var target = torch.tensor(new long[] { 0, 1, 2, 3 });
        using (torch.NewDisposeScope()) F.cross_entropy(net.call(x), target).backward();
        var zeroMean = MsrResNet.zero_mean_kernels(net, config);
        var grads = net.named_parameters().ToDictionary(e => e.name, e => { using var g = e.parameter.grad!; return g.clone(); });
        var before = net.named_parameters().ToDictionary(e => e.name, e => e.parameter.detach().clone());
        foreach (var (name, p) in net.named_parameters())
        {
            using var g = p.grad!;
            Assert.True(g.Equals(grads[name]), $"{name}: the hook ran before it was applied"); // backward alone leaves ∇V as it is
        }
        GradientHooks.apply(net.parameters(), hooks); // the trainer's order: backward, hooks, step
        sgd.step();
        foreach (var (name, p) in net.named_parameters())
        {
            using var raw = grads[name];
            using var old = before[name];
            using var expected = zeroMean.Contains(p) ? msr.zero_mean_gradient(raw, config.Zmg) : raw.clone();
            using var g = p.grad!;
            Assert.True(g.allclose(expected, 1e-5, 1e-9), $"{name}: the gradient step() left is not the CZMG one");
            using var now = p.detach();
            using var moved = old - now;
            using var update = expected * lr;
            Assert.True(moved.allclose(update, 1e-4, 1e-7), $"{name}: the update did not use the hooked gradient");
        }
    }
    [Fact]
    public void KernelTraceCountsFiltersBelowATenthOfTheirInitialMagnitude()
    {
        torch.manual_seed(7);
        using var bn = ResNet.Build(ResNetConfig.ResNet(8) with { InChannels = 1 }, new ResNetParts { Init = ResNetInit.He });
        var trace = new KernelTrace(bn);
        var start = Assert.Single(trace.Snapshots);
        Assert.Equal(0, start.DeflatedFraction);
        Assert.InRange(start.CommonModeFraction, 0.2, 0.45); // a random 3×3 kernel: ‖slice means‖/‖V‖ ≈ 1/3
        var kernels = MsrResNet.kernels(bn);
        var total = kernels.Sum(k => k.size(0));
        using (torch.no_grad())
        {
            using var first = kernels[1].narrow(0, 0, 3);
            first.mul_(0.09);  // 3 filters to 9 % of their magnitude: deflated
            using var next = kernels[1].narrow(0, 3, 2);
            next.mul_(0.11);   // 2 filters to 11 %: not (yet)
        }
        var later = trace.record(10);
        Assert.Equal(3.0 / total, later.DeflatedFraction, 1e-12);
        Assert.Equal(10, later.Step);
        Assert.True(later.MeanNorm < start.MeanNorm);

        using var czm = MsrResNet.Build(ResNetConfig.ResNet(8) with { InChannels = 1 }, MsrConfig.CZMIG);
        var unit = new KernelTrace(czm).Snapshots[0];
        Assert.Equal(1.0, unit.MeanNorm, 1e-5);
        Assert.True(unit.StdNorm < 1e-5);
        Assert.True(unit.CommonModeFraction < 1e-6);
    }
    [Theory]
    [InlineData(8UL)]
    [InlineData(9UL)]
    public void LumaAsAGradientHookAddsTheGradientOfTheLumaLoss(ulong seed)
    {
        torch.manual_seed((long)seed);
        var config = MsrConfig.CZMIG with { Luma = 0.3 }; // a large λ, so the LUMA part of the gradient is easy to see
        using var net = MsrResNet.Build(ResNetConfig.ResNet(8) with { InChannels = 1 }, config);
        using (torch.no_grad())
            foreach (var v in MsrResNet.kernels(net))
            {
                using var scale = torch.rand([v.size(0), 1, 1, 1]) + 0.5;
                v.mul_(scale); // magnitudes in [0.5, 1.5): away from LUMA's anchor
            }
        var kernels = MsrResNet.kernels(net);
        using (torch.NewDisposeScope()) MsrResNet.luma_loss(net, config).backward();
        var expected = kernels.Select(v => { using var g = v.grad!; return g.clone(); }).ToList();
        net.zero_grad();
        foreach (var v in kernels) { using var zero = torch.zeros_like(v); v.grad = zero; } // a task loss with no gradient
        GradientHooks.apply(net.parameters(), [MsrResNet.luma_gradient(net, config)]);
        for (var k = 0; k < kernels.Count; k++)
        {
            using var g = kernels[k].grad!;
            using var e = expected[k];
            Assert.True(g.allclose(e, 1e-5, 1e-8), $"kernel {k}: the hook's gradient is not ∂ luma_loss / ∂V");
        }
        Assert.True(MsrResNet.gradient_hooks(net, config) is [LumaGradient, ZeroMeanGradients]);
    }
    [Fact]
    public void KernelTraceAsAGradientHookReadsEveryNUpdates()
    {
        torch.manual_seed(10);
        var config = MsrConfig.CZMI;
        using var net = MsrResNet.Build(ResNetConfig.ResNet(8) with { InChannels = 1 }, config);
        using var sgd = torch.optim.SGD(net.parameters(), 0.5);
        var trace = new KernelTrace(net, every: 2);
        IGradientHook[] hooks = [trace];
        using var x = torch.randn([4, 1, 10, 10]) + 1;
        using var target = torch.tensor(new long[] { 0, 1, 2, 3 });
        for (var step = 0; step < 5; step++)
        {
            using (torch.NewDisposeScope()) F.cross_entropy(net.call(x), target).backward();
            GradientHooks.apply(net.parameters(), hooks);
            sgd.step();
            sgd.zero_grad();
        }
        // Readings at 0 (constructor), then inside steps 3 and 5, after 2 and 4 updates.
        Assert.Equal([0L, 2L, 4L], trace.Snapshots.Select(s => s.Step));
        Assert.True(trace.Snapshots[0].CommonModeFraction < 1e-6);
        Assert.True(trace.Snapshots[2].CommonModeFraction > 1e-4, "with z = 0 plain SGD moves the kernels off the isocline");
        Assert.True(trace.Snapshots[2].MeanNorm != trace.Snapshots[0].MeanNorm);
    }
}
