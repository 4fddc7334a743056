using System.Globalization;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Training;

namespace PreferenceStudio.Web.Training;

/// <summary>
/// The reward-model launch form as typed. Fields are named as in the stored config (TRL's names), so an error from the
/// validator names the field the researcher sees. Values stay text: a refused form shows back exactly what was typed.
/// </summary>
public sealed class RewardLaunchForm
{
    public const string ProjectField = "project";
    public const string BaseModelField = "base_model";
    public const string LearningRateField = "learning_rate";
    public const string BatchSizeField = "per_device_train_batch_size";
    public const string EpochsField = "num_train_epochs";
    public const string MaxLengthField = "max_length";
    public const string WarmupRatioField = "warmup_ratio";
    public const string UseMarginField = "use_margin";
    public const string SeedField = "seed";
    public const string EvalShareField = "eval_share";

    public string Project { get; init; } = "";
    public string BaseModel { get; init; } = "";
    public string LearningRate { get; init; } = "";
    public string BatchSize { get; init; } = "";
    public string Epochs { get; init; } = "";
    public string MaxLength { get; init; } = "";
    public string WarmupRatio { get; init; } = "";
    public bool UseMargin { get; init; }
    public string Seed { get; init; } = "";
    public string EvalShare { get; init; } = "";

    /// <summary>The trainer's own defaults, so the form never drifts from what a run without the form would use.</summary>
    public static RewardLaunchForm Defaults(int? projectId = null, int? baseModelId = null)
    {
        var defaults = new RewardRunConfig();
        var trainer = defaults.Trainer;
        return new RewardLaunchForm
        {
            Project = projectId?.ToString(CultureInfo.InvariantCulture) ?? "",
            BaseModel = baseModelId?.ToString(CultureInfo.InvariantCulture) ?? "",
            LearningRate = Text(trainer.LearningRate),
            BatchSize = Text(trainer.BatchSize),
            Epochs = Text(trainer.Epochs),
            MaxLength = Text(trainer.MaxLength),
            WarmupRatio = Text(trainer.WarmupRatio),
            UseMargin = trainer.UseMargin,
            Seed = trainer.Seed.ToString(CultureInfo.InvariantCulture),
            EvalShare = Text(defaults.EvalShare),
        };
    }

    public static RewardLaunchForm From(IFormCollection form)
    {
        string Field(string name) => form[name].ToString().Trim();
        return new RewardLaunchForm
        {
            Project = Field(ProjectField),
            BaseModel = Field(BaseModelField),
            LearningRate = Field(LearningRateField),
            BatchSize = Field(BatchSizeField),
            Epochs = Field(EpochsField),
            MaxLength = Field(MaxLengthField),
            WarmupRatio = Field(WarmupRatioField),
            // An unticked checkbox sends nothing at all.
            UseMargin = form[UseMarginField].Any(v => v is "true" or "on"),
            Seed = Field(SeedField),
            EvalShare = Field(EvalShareField),
        };
    }

    /// <summary>
    /// The typed request, or the fields that are not numbers at all. Ranges are the validator's business
    /// (RewardRunConfig.Validate), so the rules live in one place.
    /// </summary>
    public (int ProjectId, int BaseModelId, RewardRunConfig Config, IReadOnlyList<string> Errors) Parse()
    {
        var errors = new List<string>();
        var defaults = new RewardRunConfig();
        var trainer = defaults.Trainer with
        {
            LearningRate = Number(LearningRate, LearningRateField, defaults.Trainer.LearningRate),
            BatchSize = Whole(BatchSize, BatchSizeField, defaults.Trainer.BatchSize),
            Epochs = Whole(Epochs, EpochsField, defaults.Trainer.Epochs),
            MaxLength = Whole(MaxLength, MaxLengthField, defaults.Trainer.MaxLength),
            WarmupRatio = Number(WarmupRatio, WarmupRatioField, defaults.Trainer.WarmupRatio),
            UseMargin = UseMargin,
            Seed = ulong.TryParse(Seed, NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
                ? seed
                : Refuse($"{SeedField} must be a whole number from 0, got '{Seed}'", defaults.Trainer.Seed),
        };
        var config = new RewardRunConfig { Trainer = trainer, EvalShare = Number(EvalShare, EvalShareField, defaults.EvalShare) };
        var projectId = Project.Length == 0 ? Refuse($"{ProjectField}: choose a project", 0) : Whole(Project, ProjectField, 0);
        var baseModelId = BaseModel.Length == 0 ? Refuse($"{BaseModelField}: choose a base model", 0) : Whole(BaseModel, BaseModelField, 0);
        return (projectId, baseModelId, config, errors);

        double Number(string text, string field, double fallback) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                ? value
                : Refuse($"{field} must be a number, got '{text}'", fallback);

        int Whole(string text, string field, int fallback) =>
            int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? value
                : Refuse($"{field} must be a whole number, got '{text}'", fallback);

        // The field keeps a default so the rest of the config can still be validated and every problem shown at once.
        T Refuse<T>(string problem, T fallback)
        {
            errors.Add(problem);
            return fallback;
        }
    }

    private static string Text(double value) => value.ToString("G", CultureInfo.InvariantCulture);
    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
