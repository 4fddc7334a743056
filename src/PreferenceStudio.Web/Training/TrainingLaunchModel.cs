using PreferenceStudio.Core.Training;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Training;

namespace PreferenceStudio.Web.Training;

/// <summary>
/// The launch form of a reward-model run or a DPO run: every field of <see cref="RewardRunConfig"/> and
/// <see cref="DpoRunConfig"/> plus the project and the base model. The rules are the configs' own (their Validate):
/// each message starts with the field's TRL name and is shown at the field of that name, so the form and a run
/// launched without it can never disagree.
/// </summary>
public sealed partial class TrainingLaunchModel
{
    /// <summary>The kinds the form launches.</summary>
    public static readonly IReadOnlyList<TrainingKind> Kinds = [TrainingKind.RewardModel, TrainingKind.Dpo, TrainingKind.SpanRewardModel, TrainingKind.PrincipleRewardModel, TrainingKind.Ppo];

    public TrainingKind Kind { get; private set; } = TrainingKind.RewardModel;
    public int? ProjectId { get; set; }
    public int? BaseModelId { get; set; }
    public double LearningRate { get; set; }
    public int BatchSize { get; set; }
    public int Epochs { get; set; }
    public int MaxLength { get; set; }
    public double WarmupRatio { get; set; }
    public double WeightDecay { get; set; }
    public double MaxGradNorm { get; set; }
    public bool DisableDropout { get; set; }
    public ulong Seed { get; set; }
    public double EvalShare { get; set; }
    public int SaveSteps { get; set; }

    // Reward models only.
    public bool UseMargin { get; set; }

    // DPO only.
    public double Beta { get; set; }
    public string LossType { get; set; } = DpoLossType.Sigmoid;
    public double LabelSmoothing { get; set; }
    public double? RpoAlpha { get; set; }

    /// <summary>The C# property each TRL field name of the validators' messages belongs to.</summary>
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
        ["beta"] = nameof(Beta),
        ["loss_type"] = nameof(LossType),
        ["label_smoothing"] = nameof(LabelSmoothing),
        ["rpo_alpha"] = nameof(RpoAlpha),
        ["class_weights"] = nameof(ClassWeights),
    };

    /// <summary>The trainer's own defaults, so the form never drifts from what a run without the form would use.</summary>
    public static TrainingLaunchModel Defaults(int? projectId = null, int? baseModelId = null, TrainingKind kind = TrainingKind.RewardModel)
    {
        var model = new TrainingLaunchModel { ProjectId = projectId, BaseModelId = baseModelId };
        model.SwitchTo(kind);
        return model;
    }

    /// <summary>Takes the other kind's defaults for every training field; the project and the base model stay.</summary>
    public void SwitchTo(TrainingKind kind)
    {
        if (!Kinds.Contains(kind))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "The form launches reward-model (scalar, span, principle), DPO and PPO runs.");
        Kind = kind;
        if (kind == TrainingKind.Ppo)
        {
            SwitchToPpo();
            return;
        }
        if (TakeRewardKindDefaults(kind))
            return;
        var reward = new RewardRunConfig();
        var dpo = new DpoRunConfig();
        (EvalShare, SaveSteps) = kind == TrainingKind.Dpo ? (dpo.EvalShare, dpo.SaveSteps) : (reward.EvalShare, reward.SaveSteps);
        if (kind == TrainingKind.Dpo)
        {
            var t = dpo.Trainer;
            (LearningRate, BatchSize, Epochs, MaxLength, WarmupRatio, WeightDecay, MaxGradNorm, DisableDropout, Seed) =
                (t.LearningRate, t.BatchSize, t.Epochs, t.MaxLength, t.WarmupRatio, t.WeightDecay, t.MaxGradNorm, t.DisableDropout, t.Seed);
            (Beta, LossType, LabelSmoothing, RpoAlpha) = (t.Beta, t.LossType, t.LabelSmoothing, t.RpoAlpha);
        }
        else
        {
            var t = reward.Trainer;
            (LearningRate, BatchSize, Epochs, MaxLength, WarmupRatio, WeightDecay, MaxGradNorm, DisableDropout, Seed) =
                (t.LearningRate, t.BatchSize, t.Epochs, t.MaxLength, t.WarmupRatio, t.WeightDecay, t.MaxGradNorm, t.DisableDropout, t.Seed);
            UseMargin = t.UseMargin;
        }
    }

    public RewardRunConfig ToRewardConfig() => new()
    {
        Trainer = new RewardConfig
        {
            LearningRate = LearningRate, BatchSize = BatchSize, Epochs = Epochs, MaxLength = MaxLength, WarmupRatio = WarmupRatio,
            WeightDecay = WeightDecay, MaxGradNorm = MaxGradNorm, UseMargin = UseMargin, DisableDropout = DisableDropout, Seed = Seed,
        },
        EvalShare = EvalShare,
        SaveSteps = SaveSteps,
    };

    public DpoRunConfig ToDpoConfig() => new()
    {
        Trainer = new DpoConfig
        {
            Beta = Beta, LossType = LossType, LabelSmoothing = LabelSmoothing, RpoAlpha = RpoAlpha,
            LearningRate = LearningRate, BatchSize = BatchSize, Epochs = Epochs, MaxLength = MaxLength, WarmupRatio = WarmupRatio,
            WeightDecay = WeightDecay, MaxGradNorm = MaxGradNorm, DisableDropout = DisableDropout, Seed = Seed,
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
        problems.AddRange(Kind switch
        {
            TrainingKind.Dpo => ToDpoConfig().Validate(),
            TrainingKind.Ppo => PpoProblems(),
            _ => RewardKindProblems() ?? ToRewardConfig().Validate(),
        });
        return Locate(problems, Kind);
    }

    /// <summary>
    /// Each message with the property its leading TRL field name stands for in a run of <paramref name="kind"/> (one
    /// entry per property when it names several, one with none when it names no field of the form).
    /// </summary>
    public static IReadOnlyList<(string? Property, string Message)> Locate(IEnumerable<string> messages, TrainingKind kind = TrainingKind.RewardModel) =>
        messages.SelectMany(m => PropertiesOf(m, kind) is { Count: > 0 } properties
            ? properties.Select(p => ((string?)p, m))
            : [((string?)null, m)]).ToList();

    /// <summary>MudForm's per-field validation: the problems that name <paramref name="propertyName"/>.</summary>
    public Task<IEnumerable<string>> ValidateAsync(object model, string propertyName) =>
        Task.FromResult(((TrainingLaunchModel)model).Problems().Where(p => p.Property == propertyName).Select(p => p.Message));

    // "learning_rate must be ..." or "project: there is no ...": the field is the first word.
    private static string FieldOf(string message) => message.Split([' ', ':'], 2)[0];
}
