using System.Globalization;

namespace PreferenceStudio.Core.Loop;

/// <summary>What a researcher sets on a project's loop; <see cref="Validate"/> names each field that is wrong.</summary>
public sealed record LoopSettingsChange(
    bool Enabled,
    string? Cron,
    int? EveryNewLabels,
    int ResponsesPerPrompt,
    int PromptsPerRound,
    double HumanShare,
    TimeSpan LabelDeadline,
    int EvalPrompts,
    string RewardConfigJson = "{}",
    string DpoConfigJson = "{}",
    PolicyTrainer PolicyTrainer = PolicyTrainer.Dpo,
    string PpoConfigJson = "{}")
{
    public const int MaxResponsesPerPrompt = 16;
    public const int MaxPromptsPerRound = 10_000;
    public static readonly TimeSpan MaxLabelDeadline = TimeSpan.FromDays(30);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Cron is { Length: > LoopSettings.MaxCronLength })
            errors.Add($"cron: at most {LoopSettings.MaxCronLength} characters");
        if (EveryNewLabels is < 1)
            errors.Add($"every_new_labels: at least 1 (or empty for none), got {EveryNewLabels}");
        if (Enabled && string.IsNullOrWhiteSpace(Cron) && EveryNewLabels is null)
            errors.Add("enabled: a loop that runs on its own needs a cron or \"every N new labels\" (or both)");
        if (ResponsesPerPrompt is < 2 or > MaxResponsesPerPrompt)
            errors.Add($"responses_per_prompt: 2 to {MaxResponsesPerPrompt} (a pair needs two), got {ResponsesPerPrompt}");
        if (PromptsPerRound is < 1 or > MaxPromptsPerRound)
            errors.Add($"prompts_per_round: 1 to {MaxPromptsPerRound}, got {PromptsPerRound}");
        if (HumanShare is < 0 or > 1 || double.IsNaN(HumanShare))
            errors.Add($"human_share: 0 to 1, got {HumanShare.ToString(CultureInfo.InvariantCulture)}");
        if (LabelDeadline < TimeSpan.Zero || LabelDeadline > MaxLabelDeadline)
            errors.Add($"label_deadline: 0 to {MaxLabelDeadline.TotalDays:0} days, got {LabelDeadline}");
        if (!Enum.IsDefined(PolicyTrainer))
            errors.Add($"policy_trainer: DPO or PPO, got {PolicyTrainer}");
        if (EvalPrompts is < 1 or > MaxPromptsPerRound)
            errors.Add($"eval_prompts: 1 to {MaxPromptsPerRound}, got {EvalPrompts}");
        return errors;
    }
}
