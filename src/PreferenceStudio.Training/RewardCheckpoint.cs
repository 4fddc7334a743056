using System.Text.Json;
using System.Text.Json.Serialization;
using PreferenceStudio.Models.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PreferenceStudio.Training;

/// <summary>What a resumed run needs besides the weights: trainer_state.json (Hugging Face's name).</summary>
public sealed record RewardTrainerState(long GlobalStep, long TotalSteps, ulong Seed, IReadOnlyList<TrainingStep> LogHistory);

/// <summary>
/// One resumable checkpoint folder: the reward model (config.json, model.safetensors, reward_head.safetensors), the
/// optimizer's moments and step counts (optimizer.bin, TorchSharp's format), libtorch's CPU generator
/// (rng_state.safetensors) and trainer_state.json, written last, so a folder without it is incomplete.
/// </summary>
public static class RewardCheckpoint
{
    public const string StateFile = "trainer_state.json";
    public const string OptimizerFile = "optimizer.bin";
    public const string RngFile = "rng_state.safetensors";

    // Metrics may be NaN or infinite (a diverging run's grad_norm): keep them as JSON's named literals.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static void Save(string folder, RewardModel model, OptimizerHelper optimizer, RewardTrainerState state)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        // Written beside the final name and moved in whole: a crash mid-write leaves no half checkpoint behind.
        var partial = folder + ".partial";
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        model.SavePretrained(partial);
        optimizer.save_state_dict(Path.Combine(partial, OptimizerFile));
        using (var rng = get_rng_state())
            SafeTensors.Save(Path.Combine(partial, RngFile), new Dictionary<string, Tensor> { ["cpu"] = rng });
        File.WriteAllText(Path.Combine(partial, StateFile), JsonSerializer.Serialize(state, Json));
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(partial, folder);
    }

    /// <summary>Loads the weights into <paramref name="model"/> and the moments into <paramref name="optimizer"/>,
    /// restores the generator, and returns where the run stood.</summary>
    public static RewardTrainerState Load(string folder, RewardModel model, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        var state = ReadState(folder);
        model.LoadWeights(folder);
        optimizer.load_state_dict(Path.Combine(folder, OptimizerFile));
        var rng = SafeTensors.Load(Path.Combine(folder, RngFile));
        try { set_rng_state(rng["cpu"]); }
        finally { foreach (var t in rng.Values) t.Dispose(); }
        return state;
    }

    /// <summary>Where the run stood at the checkpoint (its step and the metrics so far), without loading any tensor.</summary>
    public static RewardTrainerState ReadState(string folder)
    {
        var statePath = Path.Combine(folder, StateFile);
        if (!File.Exists(statePath)) throw new FileNotFoundException($"{folder} is not a complete checkpoint: no {StateFile}", statePath);
        return JsonSerializer.Deserialize<RewardTrainerState>(File.ReadAllText(statePath), Json)
            ?? throw new InvalidDataException($"{statePath} is empty");
    }
}
