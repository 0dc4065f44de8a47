using NormFree.Data;
using NormFree.Nn;
using NormFree.Optim;
using NormFree.Tests.Data;
using NormFree.Tests.Training;
using NormFree.Training;

namespace NormFree.Tests.DeviceAware;

/// <summary>A short training run and its checkpoints on the device passed in. The trainer seeds the global generator,
/// so these run in the serial collection.</summary>
[Collection(SerialTrainingCollection.Name)]
public sealed class TrainingOnDeviceTests : IDisposable
{
    readonly TempFolder folder = new();
    // 4 classes of 1×8×8 Gaussian blobs, also the evaluation set: these runs only have to run where they are told to
    // and agree with the CPU.
    readonly InMemoryDataset data = Synthetic.blobs(160, [1, 8, 8], 4, seed: 2, separation: 0.8);

    public void Dispose()
    {
        data.Dispose();
        folder.Dispose();
    }

    /// <summary>Records the device of every batch the network sees.</summary>
    sealed class DeviceProbe(List<Device> seen) : nn.Module<Tensor, Tensor>(nameof(DeviceProbe))
    {
        public override Tensor forward(Tensor input)
        {
            seen.Add(input.device);
            return input.alias();
        }
    }

    static Sequential Net(List<Device> seen)
    {
        torch.manual_seed(4);
        return nn.Sequential(new DeviceProbe(seen), nn.Conv2d(1, 4, 3, padding: 1), nn.ReLU(), nn.Dropout(0.1), nn.Flatten(), nn.Linear(4 * 8 * 8, 4));
    }

    /// <summary>The SGD momentum buffers the optimizer holds (TorchSharp's SGD keeps them in its per-parameter state;
    /// the optimizer owns them).</summary>
    static List<Tensor> MomentumBuffers(optim.Optimizer optimizer) =>
        ((OptimizerHelper)optimizer).state_dict().State.OfType<SGD.State>().Select(s => s.momentum_buffer).OfType<Tensor>().ToList();

    TrainConfig Config(Device device, string name) => new()
    {
        Name = name, Device = device, Epochs = 2, BatchSize = 40, LearningRate = 0.05, Momentum = 0.9, Progress = false,
        Augmentation = [new RandomCrop(1), new RandomHorizontalFlip()], MixupAlpha = 0.2,
        CheckpointDir = Path.Combine(folder.Path, name),
    };

    [Theory]
    [MemberData(nameof(AvailableDevices.All), MemberType = typeof(AvailableDevices))]
    public void ARunOnTheDeviceKeepsModelBatchesAndOptimizerStateThereAndMatchesTheCpu(string name)
    {
        Device device = name;
        var seen = new List<Device>();
        using var model = Net(seen);
        using var trainer = new Trainer(model, data, data, Config(device, "on-device"));
        var history = trainer.fit();

        Assert.Equal(TrainingStatus.Completed, history.Status);
        Assert.NotEmpty(seen);
        Assert.All(seen, d => Assert.Equal(device.ToString(), d.ToString()));     // training and evaluation batches
        Assert.All(model.parameters(), p => AvailableDevices.AssertOn(device, p));
        var buffers = MomentumBuffers(trainer.optimizer);
        Assert.Equal(model.parameters().Count(), buffers.Count);
        Assert.All(buffers, t => AvailableDevices.AssertOn(device, t));

        // The same run on the CPU: the same losses up to float32 rounding (equal when the device is the CPU).
        using var cpuModel = Net([]);
        using var cpuTrainer = new Trainer(cpuModel, data, data, Config(torch.CPU, "cpu"));
        var cpu = cpuTrainer.fit();
        for (var i = 0; i < cpu.StepLosses.Count; i++)
            Assert.Equal(cpu.StepLosses[i], history.StepLosses[i], 1e-4);
    }

    public static TheoryData<string, string> Moves
    {
        get
        {
            var moves = new TheoryData<string, string>();
            foreach (string d in AvailableDevices.All)
            {
                moves.Add("cpu", d);
                if (d != "cpu") moves.Add(d, "cpu");
            }
            return moves;
        }
    }

    [Theory]
    [MemberData(nameof(Moves))]
    public void ACheckpointLoadsOntoTheDeviceOfTheModelItIsLoadedInto(string from, string to)
    {
        using var model = Net([]);
        using var trainer = new Trainer(model, data, data, Config(from, "saved") with { Epochs = 1 });
        trainer.fit();
        var path = Checkpoint.latest(Path.Combine(folder.Path, "saved"))!;

        using var other = Net([]);
        using var resumed = new Trainer(other, data, data, Config(to, "resumed"));
        var info = resumed.load_checkpoint(path);
        Assert.Equal(1, info.Epoch);
        Assert.All(other.parameters(), p => AvailableDevices.AssertOn(to, p));
        var buffers = MomentumBuffers(resumed.optimizer);
        Assert.Equal(other.parameters().Count(), buffers.Count);
        Assert.All(buffers, t => AvailableDevices.AssertOn(to, t));
        var saved = model.state_dict();
        foreach (var (key, t) in other.state_dict())
        {
            using var back = t.cpu();
            using var expected = saved[key].cpu();
            Assert.Equal(expected.bytes.ToArray(), back.bytes.ToArray());
        }
        Assert.Equal(TrainingStatus.Completed, resumed.fit().Status);  // and training goes on there

        var tensors = Safetensors.load_file(path, device: to);
        Assert.All(tensors.Values, t => AvailableDevices.AssertOn(to, t));
        foreach (var t in tensors.Values) t.Dispose();
    }
}
