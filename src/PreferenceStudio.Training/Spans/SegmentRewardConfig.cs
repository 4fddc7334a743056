using System.Globalization;

namespace PreferenceStudio.Training.Spans;

/// <summary>
/// How the span model's predictions become PPO rewards (Fine-Grained RLHF's per-segment rewards): where segments end,
/// and how much a predicted error of each category costs.
/// </summary>
public sealed record SegmentRewardConfig
{
    /// <summary>Cost of one token's worth of predicted error mass, per category by name; a category not named costs
    /// <see cref="DefaultWeight"/>. Fine-Grained RLHF weighs its reward models per run; here, per category.</summary>
    public IReadOnlyDictionary<string, double> CategoryWeights { get; init; } = new Dictionary<string, double>();

    public double DefaultWeight { get; init; } = 1.0;

    /// <summary>
    /// Added at every segment's end: Fine-Grained RLHF gives a segment +1 without an error and −1 with one, so a
    /// policy earns by saying correct things, not only by avoiding wrong ones. With 0 (the default) every reward is a
    /// cost and no answer at all costs least; with a bonus, every segment end earns, so a policy can earn by cutting
    /// its answer into more segments. In the PPO demo both happened (0: answers shrank from 15 words to 3 in two
    /// rounds with each round's start as the reference; 0.2: answers grew to 24 words of stray "song." sentences),
    /// so the demo keeps 0 and holds the policy near the base with the KL penalty instead. Keep it below a segment's
    /// error cost, or errors pay for themselves.
    /// </summary>
    public double SegmentBonus { get; init; }

    /// <summary>Segments of this many tokens; null: segments end at sentence ends (a token whose text, trailing
    /// white space aside, ends in '.', '!' or '?', or that holds a line break), as Fine-Grained RLHF rewards
    /// factuality per sentence. The response's last token always closes a segment.</summary>
    public int? SegmentLength { get; init; }

    /// <summary>Every problem of the config against the model's categories; empty when it is valid.</summary>
    public IReadOnlyList<string> Validate(IReadOnlyList<string> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        var errors = new List<string>();
        foreach (var (name, weight) in CategoryWeights)
        {
            if (!categories.Contains(name, StringComparer.Ordinal))
                errors.Add($"category_weights names '{name}', which is not a category of the model ({string.Join(", ", categories)})");
            if (!double.IsFinite(weight) || weight < 0)
                errors.Add($"category_weights['{name}'] must be finite and not negative, got {F(weight)}");
        }
        if (!double.IsFinite(DefaultWeight) || DefaultWeight < 0)
            errors.Add($"default_weight must be finite and not negative, got {F(DefaultWeight)}");
        if (!double.IsFinite(SegmentBonus))
            errors.Add($"segment_bonus must be finite, got {F(SegmentBonus)}");
        if (SegmentLength is < 1)
            errors.Add($"segment_length must be at least 1 token, got {SegmentLength}");
        return errors;
    }

    /// <summary>The weight of each category, in the model's order.</summary>
    public double[] WeightsFor(IReadOnlyList<string> categories)
    {
        var errors = Validate(categories);
        if (errors.Count > 0) throw new ArgumentException("Invalid segment reward config: " + string.Join("; ", errors));
        return categories.Select(c => CategoryWeights.GetValueOrDefault(c, DefaultWeight)).ToArray();
    }

    private static string F(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
