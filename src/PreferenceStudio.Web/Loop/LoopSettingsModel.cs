using PreferenceStudio.Core.Loop;
using PreferenceStudio.Jobs.Loop;
using PreferenceStudio.Jobs.Training;

namespace PreferenceStudio.Web.Loop;

/// <summary>
/// The loop settings form: the fields of <see cref="LoopSettingsChange"/>, the base policy, and the reward and DPO
/// settings a researcher tunes, which become the config JSON the round's runs take. Fields of those configs the form
/// does not show keep the values they had. The rules are the store's own (<see cref="LoopSettingsChange.Validate"/> and
/// the run configs' Validate): each message starts with the field it names and shows at that field.
/// </summary>
public sealed partial class LoopSettingsModel
{
    public const string BasePolicyField = LoopSettingsStore.BasePolicyField;

    private RewardRunConfig _reward = new();
    private DpoRunConfig _dpo = new();

    public int? BasePolicyId { get; set; }
    public bool Enabled { get; set; }
    public string? Cron { get; set; }
    public int? EveryNewLabels { get; set; }
    public int ResponsesPerPrompt { get; set; }
    public int PromptsPerRound { get; set; }
    public double HumanShare { get; set; }
    public double LabelDeadlineHours { get; set; }
    public int EvalPrompts { get; set; }
    public double DpoBeta { get; set; }
    public string DpoLossType { get; set; } = "";
    public double DpoLabelSmoothing { get; set; }
    public double DpoLearningRate { get; set; }
    public int DpoEpochs { get; set; }
    public double RewardLearningRate { get; set; }
    public int RewardEpochs { get; set; }

    /// <summary>The C# property each field name of the store's messages belongs to.</summary>
    public static readonly IReadOnlyDictionary<string, string> PropertyOfField = new Dictionary<string, string>
    {
        [BasePolicyField] = nameof(BasePolicyId),
        ["enabled"] = nameof(Enabled),
        ["cron"] = nameof(Cron),
        ["every_new_labels"] = nameof(EveryNewLabels),
        ["responses_per_prompt"] = nameof(ResponsesPerPrompt),
        ["prompts_per_round"] = nameof(PromptsPerRound),
        ["human_share"] = nameof(HumanShare),
        ["label_deadline"] = nameof(LabelDeadlineHours),
        ["eval_prompts"] = nameof(EvalPrompts),
        ["dpo.beta"] = nameof(DpoBeta),
        ["dpo.loss_type"] = nameof(DpoLossType),
        ["dpo.label_smoothing"] = nameof(DpoLabelSmoothing),
        ["dpo.learning_rate"] = nameof(DpoLearningRate),
        ["dpo.num_train_epochs"] = nameof(DpoEpochs),
        ["reward.learning_rate"] = nameof(RewardLearningRate),
        ["reward.num_train_epochs"] = nameof(RewardEpochs),
    };

    /// <summary>The project's saved settings, or the loop's defaults (a new <see cref="LoopSettings"/>'s) when it has none.</summary>
    public static LoopSettingsModel From(LoopSettings? saved, int? basePolicyId = null)
    {
        var settings = saved ?? new LoopSettings(0, 0);
        var change = settings.ToChange();
        var model = new LoopSettingsModel
        {
            BasePolicyId = saved?.BasePolicyId ?? basePolicyId,
            Enabled = change.Enabled,
            Cron = change.Cron,
            EveryNewLabels = change.EveryNewLabels,
            ResponsesPerPrompt = change.ResponsesPerPrompt,
            PromptsPerRound = change.PromptsPerRound,
            HumanShare = change.HumanShare,
            LabelDeadlineHours = change.LabelDeadline.TotalHours,
            EvalPrompts = change.EvalPrompts,
        };
        model.TakeConfigs(change.RewardConfigJson, change.DpoConfigJson);
        model.TakePpo(change.PolicyTrainer, change.PpoConfigJson);
        return model;
    }

    public LoopSettingsChange ToChange() => new(
        Enabled, string.IsNullOrWhiteSpace(Cron) ? null : Cron.Trim(), EveryNewLabels, ResponsesPerPrompt, PromptsPerRound, HumanShare,
        Deadline(LabelDeadlineHours), EvalPrompts, RewardConfig().ToJson(), DpoConfig().ToJson(), PolicyTrainer, PpoConfig().ToJson());

    public RewardRunConfig RewardConfig() => _reward with
    {
        Trainer = _reward.Trainer with { LearningRate = RewardLearningRate, Epochs = RewardEpochs },
    };

    public DpoRunConfig DpoConfig() => _dpo with
    {
        Trainer = _dpo.Trainer with { Beta = DpoBeta, LossType = DpoLossType, LabelSmoothing = DpoLabelSmoothing, LearningRate = DpoLearningRate, Epochs = DpoEpochs },
    };

    /// <summary>Every problem of the form as it stands, each with the property it belongs to (null: no field of the form).</summary>
    public IReadOnlyList<(string? Property, string Message)> Problems()
    {
        var problems = new List<string>();
        if (BasePolicyId is null)
            problems.Add($"{BasePolicyField}: choose the policy the loop starts from");
        var change = ToChange();
        problems.AddRange(change.Validate());
        problems.AddRange(LoopRoundSettings.ValidateConfigs(change.RewardConfigJson, change.DpoConfigJson, change.PpoConfigJson, change.PolicyTrainer));
        problems.AddRange(Ppo.SourceProblems());
        return Locate(problems);
    }

    /// <summary>Each message with the property its leading field name stands for.</summary>
    public static IReadOnlyList<(string? Property, string Message)> Locate(IEnumerable<string> messages) =>
        messages.SelectMany(m => PropertiesOf(m) is { Count: > 0 } properties
            ? properties.Select(p => ((string?)p, m))
            : [((string?)null, m)]).ToList();

    private void TakeConfigs(string rewardJson, string dpoJson)
    {
        _reward = RewardRunConfig.FromJson(rewardJson);
        _dpo = DpoRunConfig.FromJson(dpoJson);
        (RewardLearningRate, RewardEpochs) = (_reward.Trainer.LearningRate, _reward.Trainer.Epochs);
        var dpo = _dpo.Trainer;
        (DpoBeta, DpoLossType, DpoLabelSmoothing, DpoLearningRate, DpoEpochs) = (dpo.Beta, dpo.LossType, dpo.LabelSmoothing, dpo.LearningRate, dpo.Epochs);
    }

    // Hours the form holds as a span; one no span can hold becomes the largest, which the change's rules then refuse by name.
    private static TimeSpan Deadline(double hours) =>
        double.IsFinite(hours) && Math.Abs(hours) < TimeSpan.MaxValue.TotalHours / 2 ? TimeSpan.FromHours(hours) : TimeSpan.MaxValue;
}
