using TorchSharp.Modules;

namespace PreferenceStudio.Training;

/// <summary>
/// A reward run's resumable checkpoint folder: the reward model (config.json, model.safetensors,
/// reward_head.safetensors) plus what <see cref="TrainerCheckpoint"/> writes for every trainer.
/// </summary>
public static class RewardCheckpoint
{
    public const string StateFile = TrainerCheckpoint.StateFile;

    public static void Save(string folder, RewardModel model, OptimizerHelper optimizer, TrainerState state)
    {
        ArgumentNullException.ThrowIfNull(model);
        TrainerCheckpoint.Save(folder, model.SavePretrained, optimizer, state);
    }

    /// <summary>Loads the weights into <paramref name="model"/> and the moments into <paramref name="optimizer"/>,
    /// restores the generator, and returns where the run stood.</summary>
    public static TrainerState Load(string folder, RewardModel model, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        return TrainerCheckpoint.Load(folder, model.LoadWeights, optimizer);
    }

    /// <summary>Where the run stood at the checkpoint (its step and the metrics so far), without loading any tensor.</summary>
    public static TrainerState ReadState(string folder) => TrainerCheckpoint.ReadState(folder);
}
