using NormFree.Nn;
using NormFree.Torch;

namespace NormFree.Tests.Nn;

/// <summary>Counts live tensors, so it must not run beside other tests.</summary>
[CollectionDefinition(nameof(NnLeakTests), DisableParallelization = true)]
public class NnLeakCollection;

[Collection(nameof(NnLeakTests))]
public class NnLeakTests
{
    [Fact]
    public void SequentialAndWeightNormDoNotLeakTensors()
    {
        using var seq = new Sequential(new Linear(3, 4), new Identity(), new ReLU(), new Linear(4, 2));
        using var x = torch.randn([5, 3]);
        using (seq.call(x)) { }
        // Finalize every earlier test's garbage first, so only this loop can move the count.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = Tensor.LiveCount;
        for (var i = 0; i < 20; i++)
            using (seq.call(x)) { }
        Assert.Equal(before, Tensor.LiveCount);
        using var wn = new WeightNorm(new Conv2d(2, 3, 3));
        using var image = torch.randn([1, 2, 5, 5]);
        using (wn.call(image)) { }
        before = Tensor.LiveCount;
        for (var i = 0; i < 20; i++)
            using (wn.call(image)) { }
        Assert.Equal(before, Tensor.LiveCount);
    }
}
