using NormFree.Data;
using NormFree.Nn;
using NormFree.Optim;
using NormFree.Training;

namespace NormFree.Tests.Training;

/// <summary>The whole stack on real data: the acceptance test that a small CNN reaches ≥ 85 % test accuracy
/// on Fashion-MNIST within about a minute on 2 cores (the suite's one long test).</summary>
[Collection(SerialTrainingCollection.Name)]
public class FashionMnistTests
{
    [Fact]
    public void SmallCnnReaches85PercentTestAccuracy()
    {
        using var train = Datasets.FashionMnist.load(train: true);
        using var test = Datasets.FashionMnist.load(train: false);
        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);

        torch.manual_seed(0);
        // (B, 1, 28, 28) → conv 16 → pool → (B, 16, 14, 14) → conv 32 → pool → (B, 32, 7, 7) → linear → (B, 10)
        using var model = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 7 * 7, 10));
        // One pass over the data, the learning rate annealed to 0 over it (a one-epoch budget wants the decay).
        var config = new TrainConfig
        {
            Name = "fmnist-cnn", Epochs = 1, BatchSize = 128, LearningRate = 0.1, Momentum = 0.9, WeightDecay = 0,
            Schedule = new Cosine(1), FailedToTrain = null, ProgressEverySteps = 100,
        };
        // One intra-op thread, as every test (TestSetup): two OpenMP threads on a loaded machine made this epoch take
        // ≈ 310 s (load ≈ 20 on 2 cores); one thread took ≈ 16 s (load ≈ 6) and stays robust to load.
        using var trainer = new Trainer(model, train, test, config);
        var history = trainer.fit();

        Assert.Equal(TrainingStatus.Completed, history.Status);
        Assert.True(history.FinalTestAccuracy >= 0.85, history.ToString());
    }
}
