using NormFree.Nn;
using NormFree.Optim;
using NormFree.Torch;

namespace NormFree.Tests.Optim;

/// <summary>Counts live tensors, so it must not run beside other tests.</summary>
[CollectionDefinition(nameof(OptimLeakTests), DisableParallelization = true)]
public class OptimLeakCollection;

[Collection(nameof(OptimLeakTests))]
public class OptimLeakTests
{
    [Fact]
    public void StepsWithHooksDoNotLeakTensors()
    {
        using var model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
        using var opt = new SGD(model.parameters(), lr: 0.1, momentum: 0.9, weight_decay: 1e-4, nesterov: true);
        opt.param_groups[0].hooks.Add(new AdaptiveGradientClipping(0.01));
        opt.gradient_hooks.Add(new ClipGradNorm(1));
        using var x = torch.randn([16, 4]);
        using var y = torch.randint(0, 3, [16]);
        void Step()
        {
            using var scope = torch.NewDisposeScope();
            opt.zero_grad();
            F.cross_entropy(model.call(x), y).backward();
            opt.step();
        }
        Step();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = Tensor.LiveCount;
        var native_before = torch.native_live_tensors();
        for (var i = 0; i < 10; i++) Step();
        Assert.Equal(before, Tensor.LiveCount);
        Assert.Equal(native_before, torch.native_live_tensors());
    }
}
