using PreferenceStudio.Models;

namespace PreferenceStudio.Training.Online;

/// <summary>
/// The training steps of one round, on checkpoint folders: a reward model refreshed from the base on every label so
/// far, and DPO from the current policy against the round's reference (the same checkpoint, loaded a second time
/// and frozen), written as the next policy's folder.
/// </summary>
public static class OnlineRound
{
    /// <summary>Files of a chat checkpoint that training does not change, copied beside the new weights.</summary>
    internal static readonly string[] TokenizerFiles = ["tokenizer.json", "tokenizer_config.json", "generation_config.json"];

    /// <summary>A fresh reward model on the base checkpoint, trained on <paramref name="labels"/> and evaluated on
    /// <paramref name="heldOut"/>; the caller disposes it.</summary>
    public static (RewardModel Model, RewardTrainingResult Result) TrainRewardModel(
        string baseFolder, IReadOnlyList<PreferencePair> labels, IReadOnlyList<PreferencePair>? heldOut, RewardConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        TorchSharp.torch.manual_seed((long)config.Seed);  // the head's initialisation
        var model = RewardModel.OnTopOf(CausalLM.FromPretrained(baseFolder));
        try
        {
            return (model, new RewardTrainer(model, config).Train(labels, heldOut));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>DPO of the policy in <paramref name="policyFolder"/> against itself as the reference; writes the
    /// trained policy, with the tokenizer files, to <paramref name="outputFolder"/>.</summary>
    public static DpoTrainingResult TrainPolicy(string policyFolder, string outputFolder, IReadOnlyList<DpoExample> pairs, DpoConfig config)
    {
        using var policy = CausalLM.FromPretrained(policyFolder);
        using var reference = CausalLM.FromPretrained(policyFolder);
        var result = new DpoTrainer(policy, reference, config).Train(pairs);
        Directory.CreateDirectory(outputFolder);
        policy.SavePretrained(outputFolder);
        foreach (var file in TokenizerFiles.Where(f => File.Exists(Path.Combine(policyFolder, f))))
            File.Copy(Path.Combine(policyFolder, file), Path.Combine(outputFolder, file), overwrite: true);
        return result;
    }
}
