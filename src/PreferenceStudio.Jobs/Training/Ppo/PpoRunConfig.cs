using PreferenceStudio.Training.Ppo;

namespace PreferenceStudio.Jobs.Training;

/// <summary>
/// A PPO run's config as stored on the run: PPO's fields under TRL's names ("trainer"), the reward's sources and
/// weights ("reward"), and the run's eval_share (prompts held out), save_steps (iterations between checkpoints) and seed.
/// </summary>
public sealed record PpoRunConfig : TrainingRunConfig<PpoConfig>, ITrainingRunConfig
{
    public PpoRewardSection Reward { get; init; } = new();

    public static PpoRunConfig FromJson(string json) => Read<PpoRunConfig>(json);

    /// <summary>PPO's problems and the reward section's; whether the models it names exist is the launcher's check.</summary>
    public new IReadOnlyList<string> Validate()
    {
        var errors = base.Validate().ToList();
        if (Reward is null)
            errors.Add("reward: the run needs its reward section");
        else
            errors.AddRange(Reward.Validate());
        return errors;
    }

    IReadOnlyList<string> ITrainingRunConfig.Validate() => Validate();
}
