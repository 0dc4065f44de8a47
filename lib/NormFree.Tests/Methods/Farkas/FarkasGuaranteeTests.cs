using NormFree.Analysis;
using NormFree.Methods.Farkas;
using NormFree.Nn;

namespace NormFree.Tests.Methods.Farkas;

/// <summary>Theorem 3.2 on random inputs over several seeds: every Farkas layer and block keeps a unit ≥ 0 and a
/// gradient, whatever the biases and inputs, while the plain layer with the same weights (the extra units and their
/// incoming weights dropped) is dead.</summary>
public class FarkasGuaranteeTests
{
    public static TheoryData<string, Aggregation, ulong> Cases()
    {
        var data = new TheoryData<string, Aggregation, ulong>();
        foreach (var kind in new[] { "linear", "conv", "basic", "bottleneck" })
            foreach (var aggregation in new[] { Aggregation.Sum, Aggregation.Mean })
                foreach (var seed in new ulong[] { 1, 2, 3 })
                    data.Add(kind, aggregation, seed);
        return data;
    }

    /// <summary>The layer under test, its pre-activation (units along dim 1) and an input shape.</summary>
    static (nn.Module<Tensor, Tensor> module, Func<Tensor, Tensor> preactivation, long[] input) Make(string kind, Aggregation aggregation) => kind switch
    {
        "linear" => Wrap(new FarkasLinear(6, 5, aggregation), [8, 6]),
        "conv" => Wrap(new FarkasConv2d(3, 5, 3, aggregation: aggregation), [4, 3, 6, 6]),
        "basic" => Wrap(FarkasBlock.Basic(6, aggregation), [4, 6, 6, 6]),
        "bottleneck" => Wrap(FarkasBlock.Bottleneck(12, aggregation), [4, 12, 6, 6]),
        _ => throw new ArgumentException(kind),
    };

    static (nn.Module<Tensor, Tensor>, Func<Tensor, Tensor>, long[]) Wrap(FarkasLayer layer, long[] input) => (layer, layer.preactivation, input);
    static (nn.Module<Tensor, Tensor>, Func<Tensor, Tensor>, long[]) Wrap(FarkasBlock block, long[] input) => (block, block.preactivation, input);

    /// <summary>The plain computation with the same weights: free units only (W[:n], b[:n]), each layer reading only
    /// the plain channels of the one before.</summary>
    static Tensor Plain(nn.Module m, Tensor x)
    {
        switch (m)
        {
            case FarkasLinear f:
            {
                using var b = f.bias.narrow(0, 0, f.free_units);
                using var y = F.linear(x, f.weight, b);
                return F.relu(y);
            }
            case FarkasConv2d f:
            {
                using var w = f.weight.narrow(1, 0, x.size(1));
                using var b = f.bias.narrow(0, 0, f.free_units);
                using var y = F.conv2d(x, w, b, [f.stride, f.stride], [f.padding, f.padding]);
                return F.relu(y);
            }
            case Conv2d c:
            {
                using var w = c.weight.narrow(1, 0, x.size(1));
                return F.conv2d(x, w, null, c.stride, c.padding);
            }
            case Identity:
                return x.alias();
            case FarkasBlock block:
            {
                var h = x.alias();
                foreach (var layer in block.branch.children())
                {
                    var next = Plain(layer, h);
                    h.Dispose();
                    h = next;
                }
                using (h)
                {
                    using var b = block.bias.narrow(0, 0, block.in_channels);
                    using var shaped = b.view(block.in_channels, 1, 1);
                    using var sum = x + h;
                    using var z = sum + shaped;
                    return F.relu(z);
                }
            }
            default:
                throw new ArgumentException(m.GetType().Name);
        }
    }

    static void SetBiases(nn.Module m, double value)
    {
        using var _ = torch.no_grad();
        foreach (var (name, p) in m.named_parameters())
            if (name.EndsWith("bias")) p.fill_(value);
    }

    /// <summary>min over samples (and pixels) of the largest unit of z (units along dim 1).</summary>
    static double MinOfMaxUnit(Tensor z)
    {
        var (values, indices) = z.max(1);
        using (values)
        using (indices)
        using (var min = values.min())
            return min.ToDouble();
    }

    static double AbsSum(Tensor t)
    {
        using var a = t.abs();
        using var s = a.sum();
        return s.ToDouble();
    }

    /// <summary>∂output/∂input for every input. Each input also enters as 0·Σinput, so one the output does not use
    /// gets a zero gradient, where autograd.grad without allow_unused would fail natively (and abort the process).</summary>
    static IList<Tensor> Gradients(Tensor output, Tensor[] inputs)
    {
        var total = inputs.Aggregate(output, (sum, t) => sum + (t * 0).sum());
        return torch.autograd.grad([total], inputs);
    }

    /// <summary>A unit ≥ 0 at every sample and pixel, and a gradient for every sample and every parameter tensor.</summary>
    static void AssertAlive(string kind, nn.Module<Tensor, Tensor> module, Func<Tensor, Tensor> preactivation, Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var z = preactivation(x);
        Assert.True(MinOfMaxUnit(z) >= 0, $"{kind}: a sample with every unit negative");
        var total = module.call(x).sum();
        var grads = Gradients(total, [x, .. module.parameters()]);
        var perSample = grads[0]!.abs().flatten(1).sum(1); // (B)
        Assert.True(perSample.gt(0).all().item<bool>(), $"{kind}: a sample without input gradient");
        var names = module.named_parameters().Select(e => e.name).ToArray();
        for (var i = 0; i < names.Length; i++)
            Assert.True(AbsSum(grads[i + 1]!) > 0, $"{kind}: no gradient for {names[i]}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AllBiasesAtMinusTenKillThePlainLayerButNotTheFarkasOne(string kind, Aggregation aggregation, ulong seed)
    {
        torch.manual_seed((long)seed);
        var (module, preactivation, shape) = Make(kind, aggregation);
        using var _ = module;
        SetBiases(module, -10);
        using var x = torch.randn(shape);
        x.requires_grad = true;
        using (torch.NewDisposeScope())
        {
            var plain = Plain(module, x);
            Assert.Equal(0, AbsSum(plain)); // every unit dead …
            var grads = Gradients(plain.sum(), [x, .. module.parameters()]);
            Assert.All(grads, g => Assert.True(AbsSum(g) == 0)); // … so no gradient anywhere
        }
        AssertAlive(kind, module, preactivation, x);
        // Huge inputs of either sign, where the plain layer's units are large on both sides of zero.
        foreach (var scale in new[] { 1e3, -1e3 })
        {
            using var huge = x * scale;
            using var leaf = huge.detach();
            leaf.requires_grad = true;
            AssertAlive(kind, module, preactivation, leaf);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AnInputOptimisedAgainstEveryUnitStillLeavesOneNonNegative(string kind, Aggregation aggregation, ulong seed)
    {
        torch.manual_seed((long)seed);
        var (module, preactivation, shape) = Make(kind, aggregation);
        using var _ = module;
        module.to(ScalarType.Float64);
        if (seed == 1) SetBiases(module, -10); // other seeds keep the random default biases
        using var start = torch.randn(shape, ScalarType.Float64);
        using var x = DeadUnits.adversarial_input(preactivation, start);
        using var z0 = preactivation(start);
        using var z = preactivation(x);
        Assert.True(MinOfMaxUnit(z) >= -1e-9, $"{kind}: the attack pushed every unit below zero ({MinOfMaxUnit(z)})");
        Assert.True(MinOfMaxUnit(z) < MinOfMaxUnit(z0), $"{kind}: the attack made no progress");
    }

    [Fact]
    public void TheSameAttackKillsThePlainLayer()
    {
        torch.manual_seed(4);
        using var layer = new FarkasLinear(6, 5);
        layer.to(ScalarType.Float64);
        using var start = torch.randn([8, 6], ScalarType.Float64);
        Tensor PlainPreactivation(Tensor x)
        {
            using var b = layer.bias.narrow(0, 0, layer.free_units);
            return F.linear(x, layer.weight, b);
        }
        using var plain0 = PlainPreactivation(start);
        using var max0 = plain0.max();
        Assert.True(max0.ToDouble() > 0); // alive at the start
        using var x = DeadUnits.adversarial_input(PlainPreactivation, start);
        using var plain = PlainPreactivation(x);
        using var max = plain.max();
        Assert.True(max.ToDouble() < 0, $"the attack left a plain unit alive ({max.ToDouble()})"); // every unit of every sample dead
    }
}
