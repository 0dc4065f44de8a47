using NormFree.Data;
using NormFree.Notebooks;
using NormFree.Training;

namespace NormFree.Tests.Notebooks.Experiments;

public class ArmRunnerTests
{
    [Fact]
    public void OnEpoch_runs_after_every_epoch_of_every_run_while_its_model_is_alive()
    {
        using var gen = new Generator(4);
        using var data = new InMemoryDataset(torch.randn([32, 1, 2, 2], generator: gen), torch.arange(32) % 3, 3);
        var runner = new ArmRunner(data, data, seeds: [0, 1]);
        nn.Module<Tensor, Tensor>? current = null;
        var weightNorms = new List<double>();
        var config = new TrainConfig { Epochs = 2, BatchSize = 16, FailedToTrain = null, Progress = false, Device = torch.CPU };
        var summary = runner.Run("probe", config, () => current = nn.Sequential(nn.Flatten(), nn.Linear(4, 3)),
            onEpoch: h => weightNorms.Add(current!.parameters().First().norm().ToDouble()));
        Assert.Equal(2, summary.Runs);
        Assert.Equal(4, weightNorms.Count); // 2 runs × 2 epochs
        Assert.All(weightNorms, n => Assert.True(double.IsFinite(n) && n > 0));
    }
}
