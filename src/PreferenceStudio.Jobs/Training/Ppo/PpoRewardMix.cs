using System.Collections.Concurrent;
using PreferenceStudio.Training;
using PreferenceStudio.Training.Ppo;

namespace PreferenceStudio.Jobs.Training;

/// <summary>
/// A PPO run's reward: its sources' rewards weighted and summed token by token, as <see cref="PpoRewards.Mix"/> does,
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
        Reward = Score;
    }

    public PpoRewardFunction Reward { get; }

    /// <summary>Each source's weighted mean score per response over the last rollout scored.</summary>
    public IReadOnlyDictionary<string, double> LastMeans => _lastMeans;

    private float[][] Score(IReadOnlyList<PpoSample> samples)
    {
        var total = samples.Select(s => new float[s.Response.Length]).ToArray();
        foreach (var source in _sources)
        {
            var part = PpoRewards.Check(source.Reward(samples), samples);
            var sum = 0.0;
            for (var i = 0; i < total.Length; i++)
                for (var t = 0; t < total[i].Length; t++)
                {
                    var weighted = (float)source.Weight * part[i][t];
                    total[i][t] += weighted;
                    sum += weighted;
                }
            _lastMeans[source.Name] = samples.Count == 0 ? 0 : sum / samples.Count;
        }
        return total;
    }

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
