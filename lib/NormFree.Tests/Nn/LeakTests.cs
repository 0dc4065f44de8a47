using NormFree.Nn;
using NormFree.Tests.Torch;
using NormFree.Torch;

namespace NormFree.Tests.Nn;

[Collection(GlobalState.Name)]
public class NnLeakTests
{
    [Fact]
    public void SequentialAndWeightNormDoNotLeakTensors()
    {
        using var seq = new Sequential(new Linear(3, 4), new Identity(), new ReLU(), new Linear(4, 2));
        using var x = torch.randn([5, 3]);
        LeakCheck.AssertNoLeak(() => { using (seq.call(x)) { } }, repeats: 20);
        using var wn = new WeightNorm(new Conv2d(2, 3, 3));
        using var image = torch.randn([1, 2, 5, 5]);
        LeakCheck.AssertNoLeak(() => { using (wn.call(image)) { } }, repeats: 20);
    }
}
