using NormFree.Optim;

namespace NormFree.Tests.Optim;

public class OptimLeakTests
{
    /// <summary>A training step as the trainer takes it — inside its own dispose scope — with AGC between backward and
    /// a momentum/Nesterov SGD step, and a per-batch LR schedule.</summary>
    [Fact]
    public void StepsWithGradientHooksAndASchedulerFreeEveryTemporary()
    {
        using var model = nn.Sequential(("fc1", nn.Linear(4, 8)), ("act", nn.ReLU()), ("fc2", nn.Linear(8, 3)));
        using var optimizer = torch.optim.SGD(model.parameters(), 0.1, momentum: 0.9, weight_decay: 1e-4, nesterov: true);
        var scheduler = new Cosine(2).scheduler(optimizer, batches_per_epoch: 5);
        IGradientHook[] hooks = [new AdaptiveGradientClipping(0.01)];
        using var x = torch.randn([16, 4], generator: new Generator(1));
        using var y = torch.randint(0, 3, [16], generator: new Generator(2));
        void Step()
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            F.cross_entropy(model.call(x), y).backward();
            GradientHooks.apply(model.parameters(), hooks);
            optimizer.step();
            scheduler.step();
        }
        LeakCheck.AssertNoLeak(Step, repeats: 10);
    }

    [Fact]
    public void GradientHooksFreeTheirTemporariesOutsideAnyScope()
    {
        using var model = nn.Linear(4, 3);
        using var x = torch.randn([5, 4], generator: new Generator(3));
        using (var y = model.call(x))
        using (var loss = y.sum())
            loss.backward();
        IGradientHook[] hooks = [new AdaptiveGradientClipping(0.01)];
        LeakCheck.AssertNoLeak(() => GradientHooks.apply(model.parameters(), hooks), repeats: 5);
    }
}
