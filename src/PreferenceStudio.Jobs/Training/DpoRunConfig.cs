using PreferenceStudio.Training;

namespace PreferenceStudio.Jobs.Training;

/// <summary>A DPO run's config as stored on the run; its checkpoints also hold the reference log-probabilities.</summary>
public sealed record DpoRunConfig : TrainingRunConfig<DpoConfig>
{
    public static DpoRunConfig FromJson(string json) => Read<DpoRunConfig>(json);
}
