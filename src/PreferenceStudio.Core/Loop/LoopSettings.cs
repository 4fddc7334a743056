namespace PreferenceStudio.Core.Loop;

/// <summary>
/// A project's online loop: which policy it improves, when a round starts (a cron and/or every N new labels), and what
/// a round does (K samples for each of a number of prompts, the share of pairs sent to people and how long to wait for
/// them, the reward-model and DPO settings as the runs store them). One row per project that has ever set its loop.
/// </summary>
public sealed class LoopSettings
{
    public const int MaxCronLength = 100;

    private LoopSettings() { }

    public LoopSettings(int projectId, int basePolicyId)
    {
        ProjectId = projectId;
        BasePolicyId = basePolicyId;
        PolicyId = basePolicyId;
    }

    public int ProjectId { get; private set; }

    /// <summary>Rounds start on their own only while this is on; a researcher can always start one by hand.</summary>
    public bool Enabled { get; private set; }

    /// <summary>When rounds are due (UTC, Hangfire's cron syntax); null for "only by label count".</summary>
    public string? Cron { get; private set; }

    /// <summary>A round is due once this many labels were given since the last round started; null for "only by cron".</summary>
    public int? EveryNewLabels { get; private set; }

    /// <summary>Samples per prompt (K): the reward model pairs the best with the worst of them.</summary>
    public int ResponsesPerPrompt { get; private set; } = 4;

    /// <summary>Prompts sampled per round, taken from the project's prompts, least used by earlier rounds first.</summary>
    public int PromptsPerRound { get; private set; } = 32;

    /// <summary>Share of the round's pairs that go to people as pairwise tasks (0: the reward model ranks all).</summary>
    public double HumanShare { get; private set; } = 0.5;

    /// <summary>How long a round waits for people before the reward model ranks what they left.</summary>
    public TimeSpan LabelDeadline { get; private set; } = TimeSpan.FromHours(24);

    /// <summary>Prompts each policy answers when a round measures its win-rate (against the previous policy and the base).</summary>
    public int EvalPrompts { get; private set; } = 16;

    /// <summary>The policy the loop started from: the base every round's win-rate is measured against.</summary>
    public int BasePolicyId { get; private set; }

    /// <summary>The project's current policy: the base, or the newest policy a round registered.</summary>
    public int PolicyId { get; private set; }

    /// <summary>The reward run's config as runs store it (snake_case JSON); "{}" for the defaults.</summary>
    public string RewardConfigJson { get; private set; } = "{}";

    /// <summary>The DPO run's config as runs store it (snake_case JSON); "{}" for the defaults.</summary>
    public string DpoConfigJson { get; private set; } = "{}";

    /// <summary>Which trainer a round's policy-update stage runs: DPO (the default) or PPO.</summary>
    public PolicyTrainer PolicyTrainer { get; private set; }

    /// <summary>The PPO run's config as runs store it (snake_case JSON); "{}" for the defaults. A round gives it its own reward model.</summary>
    public string PpoConfigJson { get; private set; } = "{}";

    public DateTimeOffset? UpdatedAt { get; private set; }
    public string? UpdatedBy { get; private set; }

    /// <summary>Checks and sets everything a researcher edits; every problem names its field, and nothing changes when there are any.</summary>
    public IReadOnlyList<string> Change(LoopSettingsChange change, string by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(change);
        var errors = change.Validate();
        if (errors.Count > 0)
            return errors;
        Enabled = change.Enabled;
        Cron = string.IsNullOrWhiteSpace(change.Cron) ? null : change.Cron.Trim();
        EveryNewLabels = change.EveryNewLabels;
        ResponsesPerPrompt = change.ResponsesPerPrompt;
        PromptsPerRound = change.PromptsPerRound;
        HumanShare = change.HumanShare;
        LabelDeadline = change.LabelDeadline;
        EvalPrompts = change.EvalPrompts;
        RewardConfigJson = change.RewardConfigJson;
        DpoConfigJson = change.DpoConfigJson;
        PolicyTrainer = change.PolicyTrainer;
        PpoConfigJson = change.PpoConfigJson;
        UpdatedAt = now;
        UpdatedBy = by;
        return [];
    }

    /// <summary>Starts the loop over from another base policy; the rounds so far keep the lineage they recorded.</summary>
    public void RestartFrom(int basePolicyId)
    {
        BasePolicyId = basePolicyId;
        PolicyId = basePolicyId;
    }

    /// <summary>A round registered a new policy: the next round improves it.</summary>
    public void Advance(int policyId) => PolicyId = policyId;

    public LoopSettingsChange ToChange() => new(Enabled, Cron, EveryNewLabels, ResponsesPerPrompt, PromptsPerRound, HumanShare,
        LabelDeadline, EvalPrompts, RewardConfigJson, DpoConfigJson, PolicyTrainer, PpoConfigJson);
}
