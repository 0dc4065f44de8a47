using NormFree.Nn;

namespace NormFree.Tests.Nn;

public class NnLeakTests
{
    [Theory]
    [InlineData(WeightNormMode.Normalized)]
    [InlineData(WeightNormMode.Exponential)]
    public void WeightNormForwardAndBackwardFreeEveryTemporary(WeightNormMode mode)
    {
        using var wn = new WeightNorm(nn.Conv2d(2, 3, 3), mode);
        using var image = torch.randn([1, 2, 5, 5]);
        LeakCheck.AssertNoLeak(() => { using (wn.call(image)) { } }, repeats: 20);
        LeakCheck.AssertNoLeak(() =>
        {
            using (var y = wn.call(image))
            using (var loss = y.sum())
                loss.backward();
            wn.zero_grad();
        }, repeats: 5);
    }

    [Fact]
    public void ScalarLayersAndFoldFreeEveryTemporary()
    {
        using var bias = new ScalarBias();
        using var scale = new ScalarScale(0.5);
        using var x = torch.randn([3, 4]);
        LeakCheck.AssertNoLeak(() => { using var y = bias.call(x); using (scale.call(y)) { } }, repeats: 10);
        using var wn = new WeightNorm(nn.Linear(4, 2));
        LeakCheck.AssertNoLeak(() => wn.fold().Dispose(), repeats: 3);
    }
}
