using NormFree.Analysis;
using NormFree.Nn;

namespace NormFree.Tests.Analysis;

[Collection(GlobalState.Name)]
public class AnalysisLeakTests
{
    [Fact]
    public void AnalysesFreeEveryTensorTheyCreate()
    {
        using var net = nn.Sequential(new WeightNorm(nn.Linear(4, 8)), nn.ReLU(), nn.Linear(8, 3));
        using var x = torch.randn([6, 4]);
        using var target = torch.tensor(new long[] { 0, 1, 2, 0, 1, 2 });
        Tensor Loss()
        {
            using var logits = net.call(x);
            return F.cross_entropy(logits, target);
        }
        void RunAll()
        {
            Hessian.top_eigenvalue(net, Loss, new PowerIterationOptions { MaxIterations = 3 });
            SignalPropagation.collect<ReLU>(net, x, y => F.cross_entropy(y, target));
            DeadUnits.per_layer<ReLU>(net, x);
            FilterNorms.of(net);
            EffectiveLearningRate.of(net, 0.1);
        }
        LeakCheck.AssertNoLeak(RunAll);
    }
}
