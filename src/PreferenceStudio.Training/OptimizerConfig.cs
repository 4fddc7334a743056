using System.Globalization;
using System.Text.Json.Serialization;

namespace PreferenceStudio.Training;

/// <summary>
/// The fields every trainer run by <see cref="TrainerLoop{TExample}"/> shares (AdamW, warmup-cosine schedule, clipping,
/// batches, epochs, max_length, dropout and seed), and their checks, with errors naming TRL's fields. The defaults are
/// the reward models'; a trainer whose defaults differ sets its own in its constructor.
/// </summary>
/// <remarks>
/// Run configs are stored as JSON. System.Text.Json writes a derived type's own properties before its base's; the
/// <see cref="JsonPropertyOrderAttribute"/>s here keep the order each config wrote before it had this base (the
/// optimizer fields, then the trainer's own, then disable_dropout and seed; DPO's own fields, ordered -2, first), so
/// stored runs and new ones are written alike.
/// </remarks>
public abstract record OptimizerConfig : ITrainerConfig
{
    /// <summary>Peak AdamW learning rate; small, because the backbone is a pretrained language model.</summary>
    [JsonPropertyOrder(-1)]
    public double LearningRate { get; init; } = 1e-5;

    /// <summary>Examples (pairs, for a preference trainer) per optimizer step.</summary>
    [JsonPropertyOrder(-1)]
    public int BatchSize { get; init; } = 8;

    /// <summary>Passes over the examples. One, as InstructGPT: a reward model overfits after the first.</summary>
    [JsonPropertyOrder(-1)]
    public int Epochs { get; init; } = 1;

    /// <summary>Longest input in tokens. Longer examples are left out (and counted), never truncated, as TRL does.</summary>
    [JsonPropertyOrder(-1)]
    public int MaxLength { get; init; } = 1024;

    /// <summary>Share of the steps spent warming the learning rate up from 0, before the cosine decay.</summary>
    [JsonPropertyOrder(-1)]
    public double WarmupRatio { get; init; } = 0.03;

    /// <summary>Decoupled weight decay on matrices (AdamW); 0 as in Hugging Face's Trainer.</summary>
    [JsonPropertyOrder(-1)]
    public double WeightDecay { get; init; }

    /// <summary>Gradients are clipped to this joint 2-norm.</summary>
    [JsonPropertyOrder(-1)]
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Sets every dropout of the trained model to 0 before training, as TRL does by default: the losses
    /// compare forward passes (chosen with rejected, policy with reference), and dropout noise would stand in the
    /// comparison; a scorer reads the model without dropout, so it is trained on the same function.</summary>
    [JsonPropertyOrder(1)]
    public bool DisableDropout { get; init; } = true;

    /// <summary>Seeds the order of the examples (and dropout when on; and a head's initialisation, where the model is
    /// made after it): the same seed gives the same run.</summary>
    [JsonPropertyOrder(1)]
    public ulong Seed { get; init; } = 42;

    /// <summary>The config's name in <see cref="ThrowIfInvalid"/>'s message ("reward", "DPO").</summary>
    protected abstract string ConfigName { get; }

    /// <summary>Why max_length is at least 2, in the error message; empty to give no reason.</summary>
    protected virtual string MaxLengthReason => " (a prompt token and a response token)";

    /// <summary>Every problem of the config, each naming the field and its value; empty when it is valid. A trainer
    /// with fields of its own overrides it and adds its checks to these.</summary>
    public virtual IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Require(bool ok, string message) { if (!ok) errors.Add(message); }
        Require(LearningRate is > 0 and < 1, $"learning_rate must be in (0, 1), got {F(LearningRate)}");
        Require(BatchSize >= 1, $"per_device_train_batch_size must be at least 1, got {BatchSize}");
        Require(Epochs >= 1, $"num_train_epochs must be at least 1, got {Epochs}");
        Require(MaxLength >= 2, $"max_length must be at least 2{MaxLengthReason}, got {MaxLength}");
        Require(WarmupRatio is >= 0 and < 1, $"warmup_ratio must be in [0, 1), got {F(WarmupRatio)}");
        Require(WeightDecay >= 0, $"weight_decay must not be negative, got {F(WeightDecay)}");
        Require(MaxGradNorm > 0, $"max_grad_norm must be positive, got {F(MaxGradNorm)}");
        return errors;
    }

    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
            throw new ArgumentException($"Invalid {ConfigName} config: " + string.Join("; ", errors));
    }

    /// <summary>Optimizer steps of a run over <paramref name="usable"/> examples (those that fit max_length).</summary>
    public long TotalSteps(int usable) => (long)((usable + BatchSize - 1) / BatchSize) * Epochs;

    protected static string F(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
