namespace PreferenceStudio.Core.Loop;

/// <summary>A reward model's scalar score for one response (higher is preferred); one per response and reward model.</summary>
public sealed class ResponseScore
{
    private ResponseScore() { }

    public ResponseScore(int responseId, int rewardModelId, double score, DateTimeOffset scoredAt)
    {
        if (!double.IsFinite(score))
            throw new DomainException($"Response {responseId}: a score must be a finite number, got {score}.");
        ResponseId = responseId;
        RewardModelId = rewardModelId;
        Score = score;
        ScoredAt = scoredAt;
    }

    public int ResponseId { get; private set; }
    public int RewardModelId { get; private set; }
    public double Score { get; private set; }
    public DateTimeOffset ScoredAt { get; private set; }
}
