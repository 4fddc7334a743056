using PreferenceStudio.Training.Principles;

namespace PreferenceStudio.Jobs.Training;

/// <summary>A principle reward model run's config as stored on the run; eval_share holds out (response, principle) verdicts.</summary>
public sealed record PrincipleRewardRunConfig : TrainingRunConfig<PrincipleRewardConfig>
{
    public static PrincipleRewardRunConfig FromJson(string json) => Read<PrincipleRewardRunConfig>(json);
}
