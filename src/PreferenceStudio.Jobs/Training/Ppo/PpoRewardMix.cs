using System.Collections.Concurrent;
using PreferenceStudio.Training;
using PreferenceStudio.Training.Ppo;

namespace PreferenceStudio.Jobs.Training;

/// <summary>
/// A PPO run's reward: its sources' rewards weighted and summed token by token by <see cref="PpoRewards.Mix"/>,
/// remembering each source's weighted share of the last rollout's mean score so the run's curves show the reward by
/// source (objective/scores/{source}, which sum to objective/scores).
/// </summary>
public sealed class PpoRewardMix : IDisposable
{
    public const string SourceScorePrefix = "objective/scores/";

    private readonly IReadOnlyList<IPpoRewardSource> _sources;
    private readonly ConcurrentDictionary<string, double> _lastMeans = new();

    public PpoRewardMix(IReadOnlyList<IPpoRewardSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0)
            throw new ArgumentException("a PPO run's reward needs at least one source", nameof(sources));
        _sources = sources;
        Reward = PpoRewards.Mix([.. sources.Select(source => (source.Weight, Recorded(source)))]);
    }

    public PpoRewardFunction Reward { get; }

    /// <summary>Each source's weighted mean score per response over the last rollout scored.</summary>
    public IReadOnlyDictionary<string, double> LastMeans => _lastMeans;

    /// <summary>The source's reward as it is, its weighted mean score per response remembered on the way to the mix.</summary>
    private PpoRewardFunction Recorded(IPpoRewardSource source) => samples =>
    {
        var part = PpoRewards.Check(source.Reward(samples), samples);
        var sum = 0.0;
        foreach (var scores in part)
            foreach (var score in scores)
                sum += (float)source.Weight * score;
        _lastMeans[source.Name] = samples.Count == 0 ? 0 : sum / samples.Count;
        return part;
    };

    /// <summary>The trainer's progress with each step's per-source scores added, from the rollout that step scored.</summary>
    public IProgress<TrainingStep> WithSourceScores(IProgress<TrainingStep> progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return new Progress(this, progress);
    }

    public void Dispose()
    {
        foreach (var source in _sources)
            source.Dispose();
    }

    private sealed class Progress(PpoRewardMix mix, IProgress<TrainingStep> inner) : IProgress<TrainingStep>
    {
        public void Report(TrainingStep value)
        {
            var metrics = value.Metrics.ToDictionary(kv => kv.Key, kv => kv.Value);
            foreach (var (name, mean) in mix.LastMeans)
                metrics[SourceScorePrefix + name] = mean;
            inner.Report(value with { Metrics = metrics });
        }
    }
}
