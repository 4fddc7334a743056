using System.Text.Json;
using System.Text.Json.Serialization;
using PreferenceStudio.Models.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PreferenceStudio.Training;

/// <summary>What a resumed run needs besides the weights: trainer_state.json (Hugging Face's name).</summary>
public sealed record TrainerState(long GlobalStep, long TotalSteps, ulong Seed, IReadOnlyList<TrainingStep> LogHistory);

/// <summary>
/// The plumbing every trainer's resumable checkpoint folder shares: the model (written by the trainer), the
/// optimizer's moments and step counts (optimizer.bin, TorchSharp's format), libtorch's CPU generator
/// (rng_state.safetensors) and trainer_state.json, written last, so a folder without it is incomplete.
/// </summary>
public static class TrainerCheckpoint
{
    public const string StateFile = "trainer_state.json";
    public const string OptimizerFile = "optimizer.bin";
    public const string RngFile = "rng_state.safetensors";

    // Metrics may be NaN or infinite (a diverging run's grad_norm): keep them as JSON's named literals.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary><paramref name="writeModel"/> writes the trainer's own files (weights, anything else) into the folder it is given.</summary>
    public static void Save(string folder, Action<string> writeModel, OptimizerHelper optimizer, TrainerState state)
    {
        ArgumentNullException.ThrowIfNull(writeModel);
        ArgumentNullException.ThrowIfNull(optimizer);
        // Written beside the final name and moved in whole: a crash mid-write leaves no half checkpoint behind.
        var partial = folder + ".partial";
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        Directory.CreateDirectory(partial);
        writeModel(partial);
        optimizer.save_state_dict(Path.Combine(partial, OptimizerFile));
        using (var rng = get_rng_state())
            SafeTensors.Save(Path.Combine(partial, RngFile), new Dictionary<string, Tensor> { ["cpu"] = rng });
        File.WriteAllText(Path.Combine(partial, StateFile), JsonSerializer.Serialize(state, Json));
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(partial, folder);
    }

    /// <summary>Reads the trainer's own files with <paramref name="readModel"/>, the moments into
    /// <paramref name="optimizer"/>, restores the generator, and returns where the run stood.</summary>
    public static TrainerState Load(string folder, Action<string> readModel, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(readModel);
        ArgumentNullException.ThrowIfNull(optimizer);
        var state = ReadState(folder);
        readModel(folder);
        optimizer.load_state_dict(Path.Combine(folder, OptimizerFile));
        var rng = SafeTensors.Load(Path.Combine(folder, RngFile));
        try { set_rng_state(rng["cpu"]); }
        finally { foreach (var t in rng.Values) t.Dispose(); }
        return state;
    }

    /// <summary>Where the run stood at the checkpoint (its step and the metrics so far), without loading any tensor.</summary>
    public static TrainerState ReadState(string folder)
    {
        var statePath = Path.Combine(folder, StateFile);
        if (!File.Exists(statePath)) throw new FileNotFoundException($"{folder} is not a complete checkpoint: no {StateFile}", statePath);
        return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(statePath), Json)
            ?? throw new InvalidDataException($"{statePath} is empty");
    }
}
