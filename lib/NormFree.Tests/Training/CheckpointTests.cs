using NormFree.Nn;
using NormFree.Optim;
using NormFree.Tests.Data;
using NormFree.Training;

namespace NormFree.Tests.Training;

[Collection(SerialTrainingCollection.Name)]
public sealed class CheckpointTests : IDisposable
{
    readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    static Sequential Net() => nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Dropout(0.5), nn.Linear(6, 3));

    static void Step(nn.Module<Tensor, Tensor> model, optim.Optimizer opt, Generator data)
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([8, 4], generator: data);
        var y = torch.randint(0, 3, [8], generator: data);
        opt.zero_grad();
        F.cross_entropy(model.call(x), y).backward();
        opt.step();
    }

    [Fact]
    public void RestoresModelOptimizerAndEveryGeneratorSoTheRunContinuesIdentically()
    {
        torch.manual_seed(1);
        using var model = Net();
        using var opt = torch.optim.SGD(model.parameters(), 0.1, momentum: 0.9, weight_decay: 1e-3);
        using var data = new Generator(5);
        Step(model, opt, data);
        Step(model, opt, data);
        var history = new History { Label = "x" };
        history.AddStep(1.25);
        var path = Checkpoint.PathFor(folder.Path, 2);
        Checkpoint.save(path, model, opt, 2, history, new Dictionary<string, Generator> { ["data"] = data }, config: "cfg");
        // Reference: continue the original run two more steps.
        Step(model, opt, data);
        Step(model, opt, data);

        torch.manual_seed(99);   // a different init and a different global generator state
        using var other = Net();
        using var otherOpt = torch.optim.SGD(other.parameters(), 0.5, momentum: 0.9, weight_decay: 1e-3);
        using var otherData = new Generator(77);
        var info = Checkpoint.load(path, other, otherOpt, new Dictionary<string, Generator> { ["data"] = otherData });
        Assert.Equal(2, info.Epoch);
        Assert.Equal("cfg", info.Config);
        Assert.Equal([1.25], info.History.StepLosses);
        Assert.Equal(0.1, otherOpt.ParamGroups.Single().LearningRate);
        Step(other, otherOpt, otherData);
        Step(other, otherOpt, otherData);
        var a = model.state_dict();
        var b = other.state_dict();
        foreach (var (name, t) in a) Assert.Equal(t.bytes.ToArray(), b[name].bytes.ToArray());
        Assert.Equal(Checkpoint.latest(folder.Path), path);
    }

    [Fact]
    public void LatestPicksTheMostEpochs()
    {
        Assert.Null(Checkpoint.latest(Path.Combine(folder.Path, "none")));
        foreach (var e in new[] { 3, 12, 7 }) File.WriteAllText(Checkpoint.PathFor(folder.Path, e), "");
        File.WriteAllText(Path.Combine(folder.Path, "epoch-0099.safetensors.tmp"), "");
        Assert.Equal(Checkpoint.PathFor(folder.Path, 12), Checkpoint.latest(folder.Path));
    }

    [Fact]
    public void WrongModelOrFileGivesAClearError()
    {
        using var model = Net();
        using var opt = torch.optim.SGD(model.parameters(), 0.1, momentum: 0.9);
        var path = Checkpoint.PathFor(folder.Path, 1);
        Checkpoint.save(path, model, opt, 1, new History());

        using var wider = nn.Sequential(nn.Linear(4, 7), nn.ReLU(), nn.Dropout(0.5), nn.Linear(7, 3));
        using var widerOpt = torch.optim.SGD(wider.parameters(), 0.1);
        var e = Assert.Throws<ArgumentException>(() => Checkpoint.load(path, wider, widerOpt));
        Assert.Contains(path, e.Message);
        Assert.Contains("'0.weight' has shape [6, 4] there and [7, 4] in the model", e.Message);
        Assert.Contains("'3.weight' has shape [3, 6] there and [3, 7] in the model", e.Message);

        var plain = Path.Combine(folder.Path, "plain.safetensors");
        Safetensors.save_file(model.state_dict(), plain);
        var e2 = Assert.Throws<InvalidDataException>(() => Checkpoint.load(plain, model, opt));
        Assert.Contains(plain, e2.Message);
    }
}
