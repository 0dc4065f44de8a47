using NormFree.Analysis;
using NormFree.Optim;

namespace NormFree.Tests.Analysis;

public class GradientNormRecorderTests
{
    [Fact]
    public void RecordsEachParametersGradientAndWeightNormPerStep()
    {
        torch.manual_seed(0);
        using var net = nn.Sequential(("a", nn.Linear(3, 4)), ("b", nn.Linear(4, 2, hasBias: false)));
        var recorder = new GradientNormRecorder(net);
        Assert.Equal(["a.weight", "a.bias", "b.weight"], recorder.Names);
        using var sgd = torch.optim.SGD(net.parameters(), 0.1);
        using var x = torch.randn([5, 3]);
        for (var step = 0; step < 2; step++)
        {
            sgd.zero_grad();
            using (var loss = net.call(x).square().sum()) loss.backward();
            var expectedGrad = net.parameters().Select(p => { using var n = p.grad!.norm(); return n.ToDouble(); }).ToArray();
            var expectedWeight = net.parameters().Select(p => { using var n = p.norm(); return n.ToDouble(); }).ToArray();
            GradientHooks.apply(net.parameters(), [recorder]);
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(expectedGrad[i], recorder.GradNorms[step][i], 6);
                Assert.Equal(expectedWeight[i], recorder.WeightNorms[step][i], 6);
            }
            sgd.step();
        }
        Assert.Equal(2, recorder.GradNorms.Count);
        Assert.NotEqual(recorder.WeightNorms[0][2], recorder.WeightNorms[1][2]);
        Assert.Equal(2, recorder.IndexOf("b.weight"));
    }

    [Fact]
    public void AParameterWithoutGradientRecordsZero()
    {
        var a = nn.Linear(2, 2);
        using var net = nn.Sequential(("a", a), ("b", nn.Linear(2, 2)));
        var recorder = new GradientNormRecorder(net);
        using (var loss = a.call(torch.ones(1, 2)).sum()) loss.backward();   // b gets no gradient
        GradientHooks.apply(net.parameters(), [recorder]);
        Assert.True(recorder.GradNorms[0][0] > 0);
        Assert.Equal(0, recorder.GradNorms[0][recorder.IndexOf("b.weight")]);
        Assert.Throws<ArgumentException>(() => recorder.IndexOf("c.weight"));
    }
}
