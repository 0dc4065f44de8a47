using NormFree.Analysis;

namespace NormFree.Tests.Analysis;

public class PerSampleSignalTests
{
    /// <summary>Through y = relu(2x) (a Linear of 2·I, then a ReLU): ‖h_i‖ is each sample's own norm, and for
    /// L = Σᵢ ⟨δᵢ, yᵢ⟩ the gradient at the ReLU's output is δᵢ, at the Linear's output δᵢ where 2xᵢ &gt; 0.</summary>
    [Fact]
    public void NormsAndGradientsAreEachSamplesOwn()
    {
        using var gen = new Generator(4);
        var linear = nn.Linear(3, 3, hasBias: false, dtype: float64);
        using (torch.no_grad()) { using var eye = torch.eye(3, dtype: float64) * 2; linear.weight.copy_(eye); }
        using var model = nn.Sequential(("fc", linear), ("relu", nn.ReLU()));
        using var x = torch.randn([5, 3], float64, generator: gen);
        using var delta = torch.randn([5, 3], float64, generator: gen);
        var signals = PerSampleSignal.collect(model, x, m => m is ReLU or Linear, y => (y * delta).sum());
        Assert.Equal(["fc", "relu"], signals.Select(s => s.Name));
        using var a = x * 2;
        using var h = a.relu();
        AssertClose(PerSampleSignal.RowNorms(a), signals[0].Norms);
        AssertClose(PerSampleSignal.RowNorms(h), signals[1].Norms);
        using var active = a.gt(0);
        using var gated = delta * active;
        AssertClose(PerSampleSignal.RowNorms(delta), signals[1].GradNorms);
        AssertClose(PerSampleSignal.RowNorms(gated), signals[0].GradNorms);
        Assert.Empty(PerSampleSignal.collect(model, x, m => m is ReLU)[0].GradNorms);
        using var plain = nn.Sequential(("relu", nn.ReLU()), ("fc", nn.Linear(3, 3, dtype: float64)));
        Assert.Throws<ArgumentException>(() => PerSampleSignal.collect(plain, x, m => m is ReLU, y => y.sum()));
    }

    static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-12);
    }
}
