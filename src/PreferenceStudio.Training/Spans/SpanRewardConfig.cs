using System.Globalization;

namespace PreferenceStudio.Training.Spans;

/// <summary>How a span reward model is trained. Names in errors are TRL's (TrainingArguments) field names.</summary>
public sealed record SpanRewardConfig : ITrainerConfig
{
    /// <summary>Peak AdamW learning rate; small, because the backbone is a pretrained language model.</summary>
    public double LearningRate { get; init; } = 1e-5;

    /// <summary>Labelled responses per optimizer step.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Passes over the examples.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Longest prompt + response in tokens. Longer examples are left out (and counted).</summary>
    public int MaxLength { get; init; } = 1024;

    /// <summary>Share of the steps spent warming the learning rate up from 0, before the cosine decay.</summary>
    public double WarmupRatio { get; init; } = 0.03;

    /// <summary>Decoupled weight decay on matrices (AdamW).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Gradients are clipped to this joint 2-norm.</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>
    /// Cross-entropy weight per class, "no error" first then each category in the model's order; null weighs all
    /// alike. Error tokens are rare (a few percent of a response), so a model that never flags anything already has a
    /// low loss: weighting the error classes up, e.g. by the inverse of their frequency, makes missing them cost.
    /// </summary>
    public IReadOnlyList<double>? ClassWeights { get; init; }

    /// <summary>Sets every dropout of the backbone to 0 before training, as TRL does by default.</summary>
    public bool DisableDropout { get; init; } = true;

    /// <summary>Seeds the head's initialisation and the order of the examples: the same seed gives the same run.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Every problem of the config, each naming the field and its value; empty when it is valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Require(bool ok, string message) { if (!ok) errors.Add(message); }
        Require(LearningRate is > 0 and < 1, $"learning_rate must be in (0, 1), got {F(LearningRate)}");
        Require(BatchSize >= 1, $"per_device_train_batch_size must be at least 1, got {BatchSize}");
        Require(Epochs >= 1, $"num_train_epochs must be at least 1, got {Epochs}");
        Require(MaxLength >= 2, $"max_length must be at least 2 (a prompt token and a response token), got {MaxLength}");
        Require(WarmupRatio is >= 0 and < 1, $"warmup_ratio must be in [0, 1), got {F(WarmupRatio)}");
        Require(WeightDecay >= 0, $"weight_decay must not be negative, got {F(WeightDecay)}");
        Require(MaxGradNorm > 0, $"max_grad_norm must be positive, got {F(MaxGradNorm)}");
        if (ClassWeights is { } weights)
        {
            Require(weights.Count >= 2, $"class_weights needs one weight for \"no error\" and one per category, got {weights.Count}");
            for (var i = 0; i < weights.Count; i++)
                Require(double.IsFinite(weights[i]) && weights[i] > 0, $"class_weights[{i}] must be positive and finite, got {F(weights[i])}");
        }
        return errors;
    }

    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
            throw new ArgumentException("Invalid span reward config: " + string.Join("; ", errors));
    }

    private static string F(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
