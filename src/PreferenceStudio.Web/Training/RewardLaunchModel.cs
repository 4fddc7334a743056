using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Training;

namespace PreferenceStudio.Web.Training;

/// <summary>
/// The reward-model launch form: every field of <see cref="RewardRunConfig"/> plus the project and the base model.
/// The rules are the config's own (<see cref="RewardRunConfig.Validate"/>): its messages start with the field's TRL
/// name, and each is shown at the field of that name, so the form and a run launched without it can never disagree.
/// </summary>
public sealed class RewardLaunchModel
{
    public int? ProjectId { get; set; }
    public int? BaseModelId { get; set; }
    public double LearningRate { get; set; }
    public int BatchSize { get; set; }
    public int Epochs { get; set; }
    public int MaxLength { get; set; }
    public double WarmupRatio { get; set; }
    public double WeightDecay { get; set; }
    public double MaxGradNorm { get; set; }
    public bool UseMargin { get; set; }
    public bool DisableDropout { get; set; }
    public ulong Seed { get; set; }
    public double EvalShare { get; set; }
    public int SaveSteps { get; set; }

    /// <summary>The C# property each TRL field name of the validator's messages belongs to.</summary>
    public static readonly IReadOnlyDictionary<string, string> PropertyOfField = new Dictionary<string, string>
    {
        ["project"] = nameof(ProjectId),
        ["base_model"] = nameof(BaseModelId),
        ["learning_rate"] = nameof(LearningRate),
        ["per_device_train_batch_size"] = nameof(BatchSize),
        ["num_train_epochs"] = nameof(Epochs),
        ["max_length"] = nameof(MaxLength),
        ["warmup_ratio"] = nameof(WarmupRatio),
        ["weight_decay"] = nameof(WeightDecay),
        ["max_grad_norm"] = nameof(MaxGradNorm),
        ["use_margin"] = nameof(UseMargin),
        ["disable_dropout"] = nameof(DisableDropout),
        ["seed"] = nameof(Seed),
        ["eval_share"] = nameof(EvalShare),
        ["save_steps"] = nameof(SaveSteps),
    };

    /// <summary>The trainer's own defaults, so the form never drifts from what a run without the form would use.</summary>
    public static RewardLaunchModel Defaults(int? projectId = null, int? baseModelId = null)
    {
        var config = new RewardRunConfig();
        var trainer = config.Trainer;
        return new RewardLaunchModel
        {
            ProjectId = projectId,
            BaseModelId = baseModelId,
            LearningRate = trainer.LearningRate,
            BatchSize = trainer.BatchSize,
            Epochs = trainer.Epochs,
            MaxLength = trainer.MaxLength,
            WarmupRatio = trainer.WarmupRatio,
            WeightDecay = trainer.WeightDecay,
            MaxGradNorm = trainer.MaxGradNorm,
            UseMargin = trainer.UseMargin,
            DisableDropout = trainer.DisableDropout,
            Seed = trainer.Seed,
            EvalShare = config.EvalShare,
            SaveSteps = config.SaveSteps,
        };
    }

    public RewardRunConfig ToConfig() => new()
    {
        Trainer = new RewardConfig
        {
            LearningRate = LearningRate,
            BatchSize = BatchSize,
            Epochs = Epochs,
            MaxLength = MaxLength,
            WarmupRatio = WarmupRatio,
            WeightDecay = WeightDecay,
            MaxGradNorm = MaxGradNorm,
            UseMargin = UseMargin,
            DisableDropout = DisableDropout,
            Seed = Seed,
        },
        EvalShare = EvalShare,
        SaveSteps = SaveSteps,
    };

    /// <summary>Every problem of the form as it stands, each with the C# property it belongs to (null: no field of the form).</summary>
    public IReadOnlyList<(string? Property, string Message)> Problems()
    {
        var problems = new List<string>();
        if (ProjectId is null)
            problems.Add("project: choose a project");
        if (BaseModelId is null)
            problems.Add("base_model: choose a base model");
        problems.AddRange(ToConfig().Validate());
        return Locate(problems);
    }

    /// <summary>Each message with the property its leading TRL field name stands for.</summary>
    public static IReadOnlyList<(string? Property, string Message)> Locate(IEnumerable<string> messages) =>
        messages.Select(m => (PropertyOfField.GetValueOrDefault(FieldOf(m)), m)).ToList();

    /// <summary>MudForm's per-field validation: the problems that name <paramref name="propertyName"/>.</summary>
    public Task<IEnumerable<string>> ValidateAsync(object model, string propertyName) =>
        Task.FromResult(((RewardLaunchModel)model).Problems().Where(p => p.Property == propertyName).Select(p => p.Message));

    // "learning_rate must be ..." or "project: there is no ...": the field is the first word.
    private static string FieldOf(string message) => message.Split([' ', ':'], 2)[0];
}
