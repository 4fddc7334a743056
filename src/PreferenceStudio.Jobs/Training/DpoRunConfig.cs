using System.Text.Json;
using PreferenceStudio.Training;

namespace PreferenceStudio.Jobs.Training;

/// <summary>A DPO run's config as stored on the run: the trainer's fields in snake_case, plus the held-out share.</summary>
public sealed record DpoRunConfig : ITrainingRunConfig
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public DpoConfig Trainer { get; init; } = new();

    /// <inheritdoc/>
    public double EvalShare { get; init; } = 0.1;

    /// <summary>As for reward models: a resumable checkpoint (policy, optimizer, reference log-probabilities) every this many steps.</summary>
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

    public static DpoRunConfig FromJson(string json) =>
        JsonSerializer.Deserialize<DpoRunConfig>(json, Json) ?? throw new FormatException("The run's config is empty.");
}
