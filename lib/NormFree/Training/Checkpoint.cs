using System.Globalization;
using System.Text.RegularExpressions;
using NormFree.Nn;
using NormFree.Optim;

namespace NormFree.Training;

/// <summary>What <see cref="Checkpoint.load"/> read besides the tensors it restored; <see cref="Metadata"/> holds
/// every metadata entry, the caller's extra ones included.</summary>
public sealed record CheckpointInfo(string Path, int Epoch, History History, string Config, IReadOnlyDictionary<string, string> Metadata);

/// <summary>A training run's full state in one safetensors file, so a run resumed from it continues exactly as the
/// uninterrupted run would have (bit for bit on the CPU):
/// <code>
/// model.{name}          every parameter and buffer (nn.Module<Tensor, Tensor>.state_dict)
/// optimizer.{key}       the optimizer's state dict (momentum buffers, per-group hyperparameters)
/// rng.cpu               the global CPU generator (dropout, random init); rng.cuda.{i} for a model on cuda:i
/// generator.{name}      named generators the data pipeline draws from (shuffling, augmentation)
/// __metadata__          format, epoch (epochs completed), history (JSON), config (its text), torch version, and
///                       the caller's extra entries
/// </code>
/// Loading copies every tensor onto the device of the model's own tensors, so a checkpoint written on a GPU loads
/// on the CPU and the other way round (the CUDA generator state is then skipped, with the CPU one still restored).</summary>
public static class Checkpoint
{
    public const string FormatName = "normfree-checkpoint-1";
    const string Model = "model.", Optimizer = "optimizer.", Rng = "rng.", Generators = "generator.";

    /// <summary>The checkpoint file for <paramref name="epoch"/> epochs completed in <paramref name="directory"/>.</summary>
    public static string PathFor(string directory, int epoch) =>
        System.IO.Path.Combine(directory, $"epoch-{epoch.ToString("D4", CultureInfo.InvariantCulture)}.safetensors");

    /// <summary>The checkpoint with the most epochs in <paramref name="directory"/>, or null when there is none.</summary>
    public static string? latest(string directory)
    {
        if (!Directory.Exists(directory)) return null;
        return Directory.EnumerateFiles(directory, "epoch-*.safetensors")
            .Where(f => Regex.IsMatch(System.IO.Path.GetFileName(f), @"^epoch-\d+\.safetensors$"))
            .OrderBy(f => f, StringComparer.Ordinal).LastOrDefault();
    }

    /// <summary>Writes the run's state after <paramref name="epoch"/> completed epochs (atomically: a run killed while
    /// saving leaves the previous file intact).</summary>
    public static void save(string path, nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, int epoch, History history,
        IReadOnlyDictionary<string, Generator>? generators = null, string config = "",
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var scope = torch.NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (name, t) in model.state_dict()) tensors[Model + name] = t;
        foreach (var (name, t) in optimizer.state_dict()) tensors[Optimizer + name] = t;
        tensors[Rng + "cpu"] = torch.get_rng_state();
        foreach (var device in CudaDevices(model)) tensors[$"{Rng}cuda.{device.Index}"] = torch.get_rng_state(device);
        foreach (var (name, g) in generators ?? new Dictionary<string, Generator>()) tensors[Generators + name] = g.get_state();
        var entries = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>())
        {
            ["format"] = FormatName,
            ["epoch"] = epoch.ToString(CultureInfo.InvariantCulture),
            ["history"] = history.ToJson(),
            ["config"] = config,
            ["torch"] = torch.version,
        };
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        Safetensors.save_file(tensors, path, entries);
    }

    /// <summary>Restores the model, the optimizer, the global generators and <paramref name="generators"/> from
    /// <paramref name="path"/>; returns the epoch count, history and config text stored with them.</summary>
    public static CheckpointInfo load(string path, nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer,
        IReadOnlyDictionary<string, Generator>? generators = null)
    {
        var metadata = Safetensors.metadata(path);
        if (!metadata.TryGetValue("format", out var format) || format != FormatName)
            throw new InvalidDataException($"'{path}' is a safetensors file but not a {FormatName} checkpoint (format '{format}')");
        if (!int.TryParse(metadata.GetValueOrDefault("epoch"), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
            throw new InvalidDataException($"'{path}': metadata 'epoch' is '{metadata.GetValueOrDefault("epoch")}', expected a non-negative integer");
        History history;
        try { history = History.FromJson(metadata.GetValueOrDefault("history") ?? "null"); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"'{path}': metadata 'history' is not a history ({e.Message})"); }

        var tensors = Safetensors.load_file(path);
        try
        {
            model.load_state_dict(Section(tensors, Model));
            optimizer.load_state_dict(Section(tensors, Optimizer));
            torch.set_rng_state(Require(tensors, Rng + "cpu", path));
            foreach (var device in CudaDevices(model))
                if (tensors.TryGetValue($"{Rng}cuda.{device.Index}", out var state)) torch.set_rng_state(state, device);
            foreach (var (name, g) in generators ?? new Dictionary<string, Generator>())
                g.set_state(Require(tensors, Generators + name, path));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"checkpoint '{path}' does not fit this model and optimizer: {e.Message}", e);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
        return new CheckpointInfo(path, epoch, history, metadata.GetValueOrDefault("config") ?? "", metadata);
    }

    static Dictionary<string, Tensor> Section(Dictionary<string, Tensor> tensors, string prefix) =>
        tensors.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(e => e.Key[prefix.Length..], e => e.Value);

    static Tensor Require(Dictionary<string, Tensor> tensors, string name, string path) =>
        tensors.TryGetValue(name, out var t) ? t : throw new InvalidDataException($"checkpoint '{path}' has no '{name}'");

    static IEnumerable<Device> CudaDevices(nn.Module<Tensor, Tensor> model) =>
        model.parameters().Select(p => p.device).Where(d => d.IsCuda).Select(d => Device.CUDA(Math.Max(d.Index, 0))).Distinct();
}
