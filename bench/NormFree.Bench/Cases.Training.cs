using NormFree.Data;
using NormFree.Models;
using NormFree.Optim;
using NormFree.Training;

namespace NormFree.Bench;

// Training-stack cases (issue 3): one SGD step of ResNet-20, and a whole Fashion-MNIST epoch through the Trainer.
public static partial class Cases
{
    /// <summary>One SGD step (zero_grad, forward, cross-entropy, backward, momentum + weight-decay update) of ResNet-20
    /// (He et al. 2016a, §4.2, BN, option A) on a Fashion-MNIST-shaped batch (128, 1, 28, 28).</summary>
    public static Action resnet20_step()
    {
        torch.manual_seed(0);
        var model = ResNet.Build(ResNetConfig.ResNet20 with { InChannels = 1 });
        model.to(Device);
        var opt = torch.optim.SGD(model.parameters(), 0.1, momentum: 0.9, weight_decay: 5e-4);
        var x = torch.randn([128, 1, 28, 28], device: Device);                               // (B, C, H, W)
        var y = torch.randint(0, 10, [128], device: Device);                                 // (B)
        return () =>
        {
            using var scope = torch.NewDisposeScope();
            model.zero_grad();                                                             // set_to_none, as the Trainer
            F.cross_entropy(model.call(x), y).backward();
            opt.step();
        };
    }

    /// <summary>A whole epoch through <see cref="Trainer.fit"/>: 469 steps of the small CNN of the Fashion-MNIST
    /// acceptance test (batch 128, SGD momentum) on the 60,000 training images with random crop (pad 4) and flip,
    /// then evaluation on the 10,000 test images. Data loading and augmentation are inside the timing; the share of
    /// the epoch spent waiting for batches is printed after each epoch and written as "data_share".
    /// NOTE: the small CNN rather than ResNet-20, so the harness's ~18 epochs stay minutes on 2 cores.</summary>
    public static Action epoch_fmnist()
    {
        var train = Datasets.FashionMnist.load(train: true);
        var test = Datasets.FashionMnist.load(train: false);
        torch.manual_seed(0);
        var model = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 7 * 7, 10));
        var config = new TrainConfig
        {
            Epochs = 1, BatchSize = 128, LearningRate = 0.05, Momentum = 0.9, WeightDecay = 5e-4,
            Augmentation = [new RandomCrop(4), new RandomHorizontalFlip()], FailedToTrain = null, Progress = false,
            Device = Device,
        };
        var shares = new List<double>();
        return () =>
        {
            using var trainer = new Trainer(model, train, test, config);
            var epoch = trainer.fit().Epochs[^1];
            shares.Add(epoch.DataSeconds / epoch.Seconds);
            Extra["epoch_fmnist"] = new() { ["data_share"] = Math.Round(Measure.Median(shares), 4) };
        };
    }
}
