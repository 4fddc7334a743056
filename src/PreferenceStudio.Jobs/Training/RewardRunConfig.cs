using PreferenceStudio.Training;

namespace PreferenceStudio.Jobs.Training;

/// <summary>A reward-model run's config as stored on the run.</summary>
public sealed record RewardRunConfig : TrainingRunConfig<RewardConfig>
{
    public static RewardRunConfig FromJson(string json) => Read<RewardRunConfig>(json);
}
