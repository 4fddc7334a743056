using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using PreferenceStudio.Training;

namespace PreferenceStudio.Jobs.Training;

/// <summary>A run's config as stored on the run: the trainer's fields in snake_case, plus what the run around it needs.</summary>
public abstract record TrainingRunConfig<TTrainer> : ITrainingRunConfig where TTrainer : ITrainerConfig, new()
{
    protected static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public TTrainer Trainer { get; init; } = new();

    /// <summary>Share of the pairs held out for evaluation (chosen by the seed), so runs are measured on unseen pairs.</summary>
    public double EvalShare { get; init; } = 0.1;

    /// <summary>
    /// A resumable checkpoint every this many steps (0: none), so a run whose worker dies continues from the last one
    /// instead of starting over. Each costs a copy of the weights and optimizer moments on disk; the last two are kept.
    /// </summary>
    public int SaveSteps { get; init; } = 50;

    [JsonIgnore]
    public ulong Seed => Trainer.Seed;

    public IReadOnlyList<string> Validate()
    {
        var errors = Trainer.Validate().ToList();
        if (EvalShare is < 0 or >= 1)
            errors.Add($"eval_share must be in [0, 1), got {EvalShare.ToString(CultureInfo.InvariantCulture)}");
        if (SaveSteps < 0)
            errors.Add($"save_steps must be 0 (no checkpoints) or more, got {SaveSteps}");
        return errors;
    }

    public string ToJson() => JsonSerializer.Serialize(this, GetType(), Json);

    protected static T Read<T>(string json) where T : TrainingRunConfig<TTrainer> =>
        JsonSerializer.Deserialize<T>(json, Json) ?? throw new FormatException("The run's config is empty.");
}
