using System.Text.Json;
using PreferenceStudio.Training;

namespace PreferenceStudio.Jobs.Training;

/// <summary>A reward-model run's config as stored on the run: the trainer's fields in snake_case, plus the held-out share.</summary>
public sealed record RewardRunConfig : ITrainingRunConfig
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public RewardConfig Trainer { get; init; } = new();

    /// <summary>Share of the pairs held out for evaluation (chosen by the seed), so accuracy is measured on unseen pairs.</summary>
    public double EvalShare { get; init; } = 0.1;

    /// <summary>
    /// A resumable checkpoint every this many steps (0: none), so a run whose worker dies continues from the last one
    /// instead of starting over. Each costs a copy of the weights and optimizer moments on disk; the last two are kept.
    /// </summary>
    public int SaveSteps { get; init; } = 50;

    ulong ITrainingRunConfig.Seed => Trainer.Seed;

    public IReadOnlyList<string> Validate()
    {
        var errors = Trainer.Validate().ToList();
        if (EvalShare is < 0 or >= 1)
            errors.Add($"eval_share must be in [0, 1), got {EvalShare.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        if (SaveSteps < 0)
            errors.Add($"save_steps must be 0 (no checkpoints) or more, got {SaveSteps}");
        return errors;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RewardRunConfig FromJson(string json) =>
        JsonSerializer.Deserialize<RewardRunConfig>(json, Json) ?? throw new FormatException("The run's config is empty.");
}
