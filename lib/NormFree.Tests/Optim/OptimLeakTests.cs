using NormFree.Nn;
using NormFree.Optim;
using NormFree.Tests.Torch;
using NormFree.Torch;

namespace NormFree.Tests.Optim;

[Collection(GlobalState.Name)]
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
        LeakCheck.AssertNoLeak(Step, repeats: 10);
    }
}
