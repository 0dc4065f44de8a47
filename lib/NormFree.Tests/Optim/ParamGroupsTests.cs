using NormFree.Optim;

namespace NormFree.Tests.Optim;

public class ParamGroupsTests
{
    [Fact]
    public void DecayWeightsOnlyPutsBiasesInAGroupWithoutDecay()
    {
        using var model = nn.Sequential(("conv", nn.Conv2d(1, 2, 3)), ("flatten", nn.Flatten()), ("fc", nn.Linear(8, 3)));
        var groups = ParamGroups.decay_weights_only(model, 5e-4);
        using var optimizer = torch.optim.SGD(groups, 0.1, weight_decay: 1.0);
        var built = optimizer.ParamGroups.Cast<SGD.ParamGroup>().ToList();
        Assert.Equal(2, built.Count);
        Assert.Equal(5e-4, built[0].Options.weight_decay);
        Assert.All(built[0].Parameters, p => Assert.True(p.dim() >= 2));
        Assert.Equal(0, built[1].Options.weight_decay);
        Assert.All(built[1].Parameters, p => Assert.Equal(1, p.dim()));
        Assert.Equal(model.parameters().Count(), built.Sum(g => g.Parameters.Count()));
        Assert.All(built, g => Assert.Equal(0.1, g.LearningRate));   // the optimizer's LR fills in
    }

    [Fact]
    public void DecayOnAWeightOnlyStepLeavesBiasesUndecayed()
    {
        // With zero gradients, one SGD step changes a parameter only through weight decay: p ← p − lr·wd·p.
        using var model = nn.Linear(2, 2);
        using var optimizer = torch.optim.SGD(ParamGroups.decay_weights_only(model, 0.5), 0.1);
        using var w0 = model.weight.detach().clone();
        using var b0 = model.bias!.detach().clone();
        foreach (var p in model.parameters()) { using var z = torch.zeros_like(p); p.grad = z; }
        optimizer.step();
        using var expectedW = w0 * (1 - 0.1 * 0.5);
        Assert.True(model.weight.allclose(expectedW, 1e-6, 1e-7));
        Assert.True(TensorDiff.Identical(model.bias!, b0));
    }
}
