using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using TorchSharp.PyBridge;

namespace NormFree.Training;

/// <summary>What <see cref="Checkpoint.load"/> read besides the tensors it restored; <see cref="Metadata"/> holds
/// every metadata entry, the caller's extra ones included.</summary>
public sealed record CheckpointInfo(string Path, int Epoch, History History, string Config, IReadOnlyDictionary<string, string> Metadata);

/// <summary>A training run's full state, so a run resumed from it continues exactly as the uninterrupted run would
/// have (bit for bit on the CPU). Two files per checkpoint, both readable by PyTorch:
/// <code>
/// epoch-NNNN.safetensors      the model's state dict, names as state_dict() gives them (PyTorch:
///                             model.load_state_dict(safetensors.torch.load_file(path)); TorchSharp: load_safetensors),
///   __metadata__              format, epoch (epochs completed), history (JSON), config (its text), torch version,
///                             rng.cpu (the global CPU generator, base64), generator.{name} (named generators the data
///                             pipeline draws from, base64), optimizer.initial_lr (JSON: each group's initial LR),
///                             and the caller's extra entries
/// epoch-NNNN.optimizer.pt     the optimizer's state dict through TorchSharp.PyBridge (PyTorch: torch.load, then
///                             optimizer.load_state_dict): per-group hyperparameters and the momentum buffers
/// </code>
/// The optimizer file is written first and the weights last, each atomically (written beside and renamed), and
/// <see cref="latest"/> looks at the weights only, so a run killed while saving leaves the previous checkpoint whole.
/// <para>Why the initial LRs are kept apart: LR schedulers start from each group's <c>InitialLearningRate</c>, which
/// PyBridge does not write (PyTorch keeps it as <c>initial_lr</c>) and sets to the saved current LR when loading.</para>
/// <para>Loading copies every tensor onto the device of the model's own tensors, so a checkpoint written on a GPU
/// loads on the CPU and the other way round. NOTE: TorchSharp 0.107 has no accessor for CUDA's default generator
/// (PyTorch's <c>torch.cuda.get_rng_state</c>), so its state is not saved: a resumed GPU run draws other dropout masks
/// than the uninterrupted one (the data order and augmentation, drawn on the CPU from the seed, are the same).</para></summary>
public static class Checkpoint
{
    public const string FormatName = "normfree-checkpoint-2";
    const string RngKey = "rng.cpu", GeneratorPrefix = "generator.", InitialLrKey = "optimizer.initial_lr";
    static readonly string[] Reserved = ["format", "epoch", "history", "config", "torch", RngKey, InitialLrKey];

    /// <summary>The checkpoint (weights file) for <paramref name="epoch"/> epochs completed in <paramref name="directory"/>.</summary>
    public static string PathFor(string directory, int epoch) =>
        System.IO.Path.Combine(directory, $"epoch-{epoch.ToString("D4", CultureInfo.InvariantCulture)}.safetensors");

    /// <summary>The optimizer file that goes with the weights file <paramref name="path"/>: <c>epoch-NNNN.optimizer.pt</c>.</summary>
    public static string OptimizerPathFor(string path) =>
        System.IO.Path.ChangeExtension(path, null) + ".optimizer.pt";

    /// <summary>The checkpoint with the most epochs in <paramref name="directory"/>, or null when there is none.</summary>
    public static string? latest(string directory)
    {
        if (!Directory.Exists(directory)) return null;
        return Directory.EnumerateFiles(directory, "epoch-*.safetensors")
            .Where(f => Regex.IsMatch(System.IO.Path.GetFileName(f), @"^epoch-\d+\.safetensors$"))
            .OrderBy(f => f, StringComparer.Ordinal).LastOrDefault();
    }

    /// <summary>A checkpoint's metadata, reading only the header of its weights file (e.g. to check which run wrote it
    /// before loading it).</summary>
    public static IReadOnlyDictionary<string, string> metadata(string path) => Safetensors.metadata(path);

    /// <summary>Writes the run's state after <paramref name="epoch"/> completed epochs to <paramref name="path"/> and
    /// <see cref="OptimizerPathFor"/>(path). <paramref name="optimizer"/> must be one of TorchSharp's managed optimizers
    /// (<see cref="OptimizerHelper"/>: SGD, Adam, ...), which PyBridge can save.</summary>
    public static void save(string path, nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, int epoch, History history,
        IReadOnlyDictionary<string, Generator>? generators = null, string config = "",
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var helper = Managed(optimizer);
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "epochs completed must be ≥ 0");
        var entries = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>());
        foreach (var key in entries.Keys)
            if (Reserved.Contains(key) || key.StartsWith(GeneratorPrefix, StringComparison.Ordinal))
                throw new ArgumentException($"metadata key '{key}' is reserved for the checkpoint itself", nameof(metadata));
        entries["format"] = FormatName;
        entries["epoch"] = epoch.ToString(CultureInfo.InvariantCulture);
        entries["history"] = history.ToJson();
        entries["config"] = config;
        entries["torch"] = torch.__version__;
        entries[InitialLrKey] = JsonSerializer.Serialize(helper.ParamGroups.Select(g => g.InitialLearningRate).ToArray());
        using (var state = torch.get_rng_state()) entries[RngKey] = Convert.ToBase64String(state.bytes);
        foreach (var (name, g) in generators ?? new Dictionary<string, Generator>())
            using (var state = g.get_state()) entries[GeneratorPrefix + name] = Convert.ToBase64String(state.bytes);

        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        var optimizerPath = OptimizerPathFor(path);
        var temporary = optimizerPath + ".tmp";
        helper.save_py(temporary);
        File.Move(temporary, optimizerPath, overwrite: true);
        using var scope = torch.NewDisposeScope();
        Safetensors.save_file(model.state_dict(), path, entries);
    }

    /// <summary>Restores the model, the optimizer, the global CPU generator and <paramref name="generators"/> from
    /// <paramref name="path"/> (and its optimizer file); returns the epoch count, history and config text stored with
    /// them. A file that is not such a checkpoint is an <see cref="InvalidDataException"/>; one written for another
    /// model or optimizer (other names, shapes or parameter groups) an <see cref="ArgumentException"/>; both name the
    /// file.</summary>
    public static CheckpointInfo load(string path, nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer,
        IReadOnlyDictionary<string, Generator>? generators = null)
    {
        var helper = Managed(optimizer);
        var metadata = Safetensors.metadata(path);
        if (!metadata.TryGetValue("format", out var format) || format != FormatName)
            throw new InvalidDataException($"'{path}' is a safetensors file but not a {FormatName} checkpoint (format '{format}')");
        if (!int.TryParse(metadata.GetValueOrDefault("epoch"), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
            throw new InvalidDataException($"'{path}': metadata 'epoch' is '{metadata.GetValueOrDefault("epoch")}', expected a non-negative integer");
        History history;
        try { history = History.FromJson(metadata.GetValueOrDefault("history") ?? "null"); }
        catch (JsonException e) { throw new InvalidDataException($"'{path}': metadata 'history' is not a history ({e.Message})"); }
        var rng = Base64(metadata, RngKey, path);
        var states = (generators ?? new Dictionary<string, Generator>()).ToDictionary(e => e.Key, e => Base64(metadata, GeneratorPrefix + e.Key, path));
        double[] initialLrs;
        try { initialLrs = JsonSerializer.Deserialize<double[]>(metadata.GetValueOrDefault(InitialLrKey) ?? "null") ?? throw new JsonException("null"); }
        catch (JsonException e) { throw new InvalidDataException($"'{path}': metadata '{InitialLrKey}' is not a list of numbers ({e.Message})"); }
        var optimizerPath = OptimizerPathFor(path);
        if (!File.Exists(optimizerPath))
            throw new InvalidDataException($"checkpoint '{path}' has no optimizer state: expected '{optimizerPath}' beside it");

        // Everything is checked before anything is changed: a checkpoint that does not fit leaves the run as it was.
        var weights = Safetensors.load_file(path);
        try
        {
            StateDicts.check(model, weights, $"checkpoint '{path}'");
            CheckOptimizerFile(helper, optimizerPath, initialLrs.Length);
            StateDicts.copy_into(model, weights);
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
        LoadOptimizer(helper, optimizerPath);
        var groups = helper.ParamGroups.ToList();
        for (var i = 0; i < groups.Count; i++) groups[i].InitialLearningRate = initialLrs[i];
        SetState(rng, torch.set_rng_state);
        foreach (var (name, g) in generators ?? new Dictionary<string, Generator>()) SetState(states[name], g.set_state);
        return new CheckpointInfo(path, epoch, history, metadata.GetValueOrDefault("config") ?? "", metadata);
    }

    /// <summary>Writes <paramref name="model"/>'s state dict as a PyTorch <c>.pt</c> file (zip format, through
    /// PyBridge): <c>model.load_state_dict(torch.load(path))</c> in Python.</summary>
    public static void export_pt(nn.Module<Tensor, Tensor> model, string path)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        var temporary = path + ".tmp";
        model.save_py(temporary);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Loads a PyTorch <c>.pt</c> file written by <c>torch.save(model.state_dict(), path)</c> (zip format,
    /// PyTorch ≥ 1.6) into <paramref name="model"/>, or, with <paramref name="key"/>, the state dict stored under that
    /// key of a saved dict (<c>torch.save({"model": model.state_dict(), ...})</c>: key "model"). Names and shapes
    /// must match the model's exactly (an <see cref="ArgumentException"/> naming the file and the differences
    /// otherwise); tensors are copied onto the model's devices.</summary>
    public static void import_pt(nn.Module<Tensor, Tensor> model, string path, string? key = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no PyTorch file at '{path}'", path);
        Hashtable root;
        try { root = PyTorchUnpickler.UnpickleStateDict(path); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"'{path}' is not a PyTorch zip-format file that PyBridge can read ({e.GetType().Name}: {e.Message})", e);
        }
        var source = root;
        if (key is not null)
            source = root[key] as Hashtable ?? throw new InvalidDataException(
                $"'{path}' has no state dict under key '{key}' (keys: {string.Join(", ", root.Keys.Cast<object>())})");
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            foreach (DictionaryEntry e in source)
            {
                if (e.Key is not string name || e.Value is not Tensor t)
                    throw new InvalidDataException($"'{path}': entry '{e.Key}' is {e.Value?.GetType().Name ?? "null"}, expected a tensor of a state dict" +
                        (key is null ? " (for a nested checkpoint, pass its key, e.g. \"model\")" : ""));
                tensors[name] = t;
            }
            StateDicts.check(model, tensors, $"'{path}'");
            StateDicts.copy_into(model, tensors);
        }
        finally
        {
            foreach (DictionaryEntry e in root)
                if (e.Value is Tensor t) t.Dispose();
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    static OptimizerHelper Managed(optim.Optimizer optimizer) => optimizer as OptimizerHelper ?? throw new ArgumentException(
        $"checkpoints save TorchSharp's managed optimizers (OptimizerHelper: SGD, Adam, ...), not {optimizer.GetType().Name}", nameof(optimizer));

    static byte[] Base64(IReadOnlyDictionary<string, string> metadata, string key, string path)
    {
        if (!metadata.TryGetValue(key, out var text)) throw new InvalidDataException($"checkpoint '{path}' has no '{key}' in its metadata");
        try { return Convert.FromBase64String(text); }
        catch (FormatException) { throw new InvalidDataException($"checkpoint '{path}': metadata '{key}' is not base64"); }
    }

    static void SetState(byte[] bytes, Action<Tensor> set)
    {
        using var state = torch.empty([bytes.Length], ScalarType.Byte);
        state.bytes = bytes;
        set(state);
    }

    /// <summary>The optimizer file must hold one param group per group of <paramref name="optimizer"/> with as many
    /// parameters, and the metadata one initial LR per group. Reads the pickle without its tensors.</summary>
    static void CheckOptimizerFile(OptimizerHelper optimizer, string path, int initialLrs)
    {
        var groups = optimizer.ParamGroups.Cast<ParamGroup>().ToList();
        Hashtable dict;
        try
        {
            using var stream = File.OpenRead(path);
            dict = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true, skipTensorRead: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"'{path}' is not an optimizer state file that PyBridge can read ({e.GetType().Name}: {e.Message})", e);
        }
        if (dict["param_groups"] is not ArrayList saved || dict["state"] is not Hashtable)
            throw new InvalidDataException($"'{path}' is not an optimizer state dict (no param_groups and state)");
        var here = string.Join(", ", groups.Select(g => g.Parameters.Count()));
        var there = string.Join(", ", saved.Cast<object>().Select(g => (g as Hashtable)?["params"] is ArrayList p ? p.Count.ToString(CultureInfo.InvariantCulture) : "?"));
        if (here != there)
            throw new ArgumentException($"optimizer state '{path}' does not fit this optimizer: parameter groups of [{there}] parameters, this one has [{here}]");
        if (initialLrs != groups.Count)
            throw new InvalidDataException($"'{path}': {initialLrs} initial learning rates in the checkpoint's metadata for {groups.Count} parameter groups");
    }

    /// <summary>PyBridge's <c>load_py</c>, then the loaded state tensors checked against their parameters' shapes,
    /// moved onto their devices and taken out of any dispose scope (PyBridge creates them where it runs and assigns
    /// them as they are).</summary>
    static void LoadOptimizer(OptimizerHelper optimizer, string path)
    {
        try { optimizer.load_py(path); }
        catch (Exception e) when (e is InvalidCastException or KeyNotFoundException or IndexOutOfRangeException or ArgumentOutOfRangeException or NullReferenceException)
        {
            throw new ArgumentException($"optimizer state '{path}' does not fit this optimizer ({e.GetType().Name}: {e.Message})", e);
        }
        var parameters = optimizer.ParamGroups.Cast<ParamGroup>().SelectMany(g => g.Parameters).ToList();
        var states = optimizer.state_dict().State;
        for (var i = 0; i < states.Count; i++)
        {
            var p = parameters[i];
            foreach (var field in states[i].GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                if (field.FieldType != typeof(Tensor) || field.GetValue(states[i]) is not Tensor t) continue;
                if (t.dim() > 0 && !t.shape.SequenceEqual(p.shape))
                    throw new ArgumentException($"optimizer state '{path}': {field.Name} of parameter {i} has shape {Nn.Shapes.Format(t.shape)}, " +
                        $"the parameter has {Nn.Shapes.Format(p.shape)}");
                t.DetachFromDisposeScope();
                if (t.device != p.device)
                {
                    field.SetValue(states[i], t.to(p.device).DetachFromDisposeScope());
                    t.Dispose();
                }
            }
        }
    }
}
