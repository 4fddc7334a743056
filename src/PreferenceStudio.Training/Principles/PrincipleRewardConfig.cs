using System.Globalization;

namespace PreferenceStudio.Training.Principles;

/// <summary>How a principle reward model is trained. Names in errors are TRL's RewardConfig field names.</summary>
public sealed record PrincipleRewardConfig : ITrainerConfig
{
    /// <summary>Peak AdamW learning rate; small, because the backbone is a pretrained language model.</summary>
    public double LearningRate { get; init; } = 1e-5;

    /// <summary>Examples (one response judged on one principle each) per optimizer step.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Passes over the examples; one, as for a Bradley-Terry reward model, which overfits after the first.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Longest input (prompt, response and judging turn) in tokens; longer examples are left out and counted.</summary>
    public int MaxLength { get; init; } = 1024;

    /// <summary>Share of the steps spent warming the learning rate up from 0, before the cosine decay.</summary>
    public double WarmupRatio { get; init; } = 0.03;

    /// <summary>Decoupled weight decay on matrices (AdamW); 0 as in Hugging Face's Trainer.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Gradients are clipped to this joint 2-norm.</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Sets every dropout of the backbone to 0 before training, as TRL's RewardConfig does by default: the
    /// probabilities PPO reads are taken without dropout, so the model is trained on the same function.</summary>
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
        Require(MaxLength >= 2, $"max_length must be at least 2, got {MaxLength}");
        Require(WarmupRatio is >= 0 and < 1, $"warmup_ratio must be in [0, 1), got {F(WarmupRatio)}");
        Require(WeightDecay >= 0, $"weight_decay must not be negative, got {F(WeightDecay)}");
        Require(MaxGradNorm > 0, $"max_grad_norm must be positive, got {F(MaxGradNorm)}");
        return errors;
    }

    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
            throw new ArgumentException("Invalid principle reward config: " + string.Join("; ", errors));
    }

    private static string F(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
