using System.Globalization;
using PreferenceStudio.Training.Principles;
using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.Jobs.Training;

/// <summary>
/// Where a PPO run's reward comes from, as the run stores it ("reward" in its config): a registered scalar reward model
/// (its r(x, y) at the response's last token), a span reward model (Fine-Grained RLHF's dense rewards at segment ends,
/// weighted per error category) and a principle reward model (RLBFF's Σ_k w_k (p_k − 0.5) over the principles named),
/// each with its weight; the reward PPO sees is their weighted sum, token by token.
/// </summary>
public sealed record PpoRewardSection
{
    /// <summary>A model version of kind Reward; null: no scalar reward. In a loop round, the round's own reward model.</summary>
    public int? RewardModelId { get; init; }

    public double RewardModelWeight { get; init; } = 1.0;

    /// <summary>A model version of kind SpanReward; null: no dense rewards.</summary>
    public int? SpanModelId { get; init; }

    public double SpanWeight { get; init; } = 1.0;

    /// <summary>How the span model's predictions become segment rewards (category weights, segment ends).</summary>
    public SegmentRewardConfig Segments { get; init; } = new();

    /// <summary>A model version of kind PrincipleReward; null: no principle reward.</summary>
    public int? PrincipleModelId { get; init; }

    public double PrincipleWeight { get; init; } = 1.0;

    /// <summary>The principles the principle reward sums over, each with its weight.</summary>
    public IReadOnlyList<WeightedPrinciple> Principles { get; init; } = [];

    /// <summary>Sequences longer than this keep their last max_length tokens when a reward model reads them.</summary>
    public int MaxLength { get; init; } = 512;

    /// <summary>Responses a reward model scores at once.</summary>
    public int BatchSize { get; init; } = 8;

    public bool HasSource => RewardModelId is not null || SpanModelId is not null || PrincipleModelId is not null;

    /// <summary>The section's own problems, each naming its field under "reward."; the models it names are checked at launch.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Weight(string field, double value)
        {
            if (!double.IsFinite(value))
                errors.Add($"reward.{field} must be finite, got {F(value)}");
        }
        Weight("reward_model_weight", RewardModelWeight);
        Weight("span_weight", SpanWeight);
        Weight("principle_weight", PrincipleWeight);
        if (MaxLength < 2)
            errors.Add($"reward.max_length must be at least 2 tokens, got {MaxLength}");
        if (BatchSize < 1)
            errors.Add($"reward.batch_size must be at least 1, got {BatchSize}");
        if (SpanModelId is not null)
        {
            if (Segments is null)
                errors.Add("reward.segments: a span reward needs its segment settings");
            else
                // Category names are checked against the model when the run loads it; values and lengths here.
                errors.AddRange(Segments.Validate(Segments.CategoryWeights.Keys.ToList()).Select(e => "reward.segments." + e));
        }
        if (PrincipleModelId is not null)
        {
            if (Principles is not { Count: > 0 })
                errors.Add("reward.principles: a principle reward needs at least one principle (its text and weight)");
            else
                for (var i = 0; i < Principles.Count; i++)
                {
                    if (string.IsNullOrWhiteSpace(Principles[i]?.Text))
                        errors.Add($"reward.principles[{i}].text: a principle needs its text");
                    else if (!double.IsFinite(Principles[i].Weight))
                        errors.Add($"reward.principles[{i}].weight must be finite, got {F(Principles[i].Weight)}");
                }
        }
        return errors;
    }

    private static string F(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
