using PreferenceStudio.Training.Ppo;

namespace PreferenceStudio.Training.Online;

/// <summary>
/// What a PPO round did and how fast its stages ran. Rollout: the tokens the policy generated, over the time spent
/// generating them. Training: the tokens the clipped updates ran through the policy (prompt and response, every PPO
/// epoch), over the time from the reward's scores to the iteration's end, which also holds the experience pass (log
/// π_old, V_old and log π_ref without gradients), as the DPO figures hold the reference pass. Scoring: the reward
/// function's own time.
/// </summary>
public sealed record PpoRoundResult(PpoTrainingResult Training, long RolloutTokens, TimeSpan RolloutTime, long TrainingTokens,
    TimeSpan TrainingTime, TimeSpan ScoringTime)
{
    public double RolloutTokensPerSecond => RolloutTokens / RolloutTime.TotalSeconds;

    public double TrainingTokensPerSecond => TrainingTokens / TrainingTime.TotalSeconds;

    /// <summary>A metric of the last iteration, e.g. "objective/kl"; NaN when the run reported none.</summary>
    public double Last(string metric) =>
        Training.History.Count > 0 && Training.History[^1].Metrics.TryGetValue(metric, out var value) ? value : double.NaN;
}
