namespace PreferenceStudio.Training.Spans;

/// <summary>How a span reward model is trained: the optimizer fields of <see cref="OptimizerConfig"/> (labelled
/// responses per batch) and the class weights. Names in errors are TRL's (TrainingArguments) field names.</summary>
public sealed record SpanRewardConfig : OptimizerConfig
{
    /// <summary>
    /// Cross-entropy weight per class, "no error" first then each category in the model's order; null weighs all
    /// alike. Error tokens are rare (a few percent of a response), so a model that never flags anything already has a
    /// low loss: weighting the error classes up, e.g. by the inverse of their frequency, makes missing them cost.
    /// </summary>
    public IReadOnlyList<double>? ClassWeights { get; init; }

    protected override string ConfigName => "span reward";

    public override IReadOnlyList<string> Validate()
    {
        var errors = base.Validate().ToList();
        if (ClassWeights is { } weights)
        {
            if (weights.Count < 2)
                errors.Add($"class_weights needs one weight for \"no error\" and one per category, got {weights.Count}");
            for (var i = 0; i < weights.Count; i++)
                if (!(double.IsFinite(weights[i]) && weights[i] > 0))
                    errors.Add($"class_weights[{i}] must be positive and finite, got {F(weights[i])}");
        }
        return errors;
    }
}
