using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.Jobs.Training;

/// <summary>A span reward model run's config as stored on the run; eval_share holds out labelled responses.</summary>
public sealed record SpanRewardRunConfig : TrainingRunConfig<SpanRewardConfig>
{
    public static SpanRewardRunConfig FromJson(string json) => Read<SpanRewardRunConfig>(json);
}
