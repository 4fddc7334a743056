namespace PreferenceStudio.Core.Loop;

/// <summary>
/// One round of a project's online loop: from the policy it starts with, through its stages (<see cref="RoundStageKind"/>),
/// to the policy it registers. It records its inputs (the settings it ran with, the policy, the reference, the labels
/// there were) and its outputs (the reward model, the pairs by source, the new policy, the win-rates), so a researcher
/// can say what each policy learned from.
/// </summary>
public sealed class LoopRound
{
    public const int MaxErrorLength = 4000;

    private readonly List<RoundStage> _stages = [];

    private LoopRound() { }

    public LoopRound(int projectId, int number, string settingsJson, int policyId, int basePolicyId, string startedBy, int labelsAtStart, DateTimeOffset now)
    {
        if (number < 1)
            throw new DomainException($"Round numbers start at 1, got {number}.");
        if (string.IsNullOrWhiteSpace(startedBy))
            throw new DomainException("A round records who or what started it.");
        ProjectId = projectId;
        Number = number;
        SettingsJson = settingsJson;
        PolicyId = policyId;
        // The round holds its DPO to the policy it starts from, as iterative DPO does: each round a small step from the last.
        ReferenceId = policyId;
        BasePolicyId = basePolicyId;
        StartedBy = startedBy.Trim();
        LabelsAtStart = labelsAtStart;
        State = RoundState.Queued;
        CreatedAt = now;
    }

    public long Id { get; private set; }
    public int ProjectId { get; private set; }

    /// <summary>1, 2, ... within the project.</summary>
    public int Number { get; private set; }

    public RoundState State { get; private set; }

    /// <summary>The stage running or last run; null before the first starts.</summary>
    public RoundStageKind? Stage { get; private set; }

    public IReadOnlyList<RoundStage> Stages => _stages;

    /// <summary>The loop settings the round runs with, frozen when it was created (JSON).</summary>
    public string SettingsJson { get; private set; } = "{}";

    /// <summary>"schedule", "labels", or the researcher who started it.</summary>
    public string StartedBy { get; private set; } = "";

    /// <summary>Current labels in the project when the round was created: "every N new labels" counts from here.</summary>
    public int LabelsAtStart { get; private set; }

    public int PolicyId { get; private set; }
    public int ReferenceId { get; private set; }
    public int BasePolicyId { get; private set; }
    public int? RewardModelId { get; private set; }

    /// <summary>The span and principle reward models the round retrained for PPO's dense rewards; null when its PPO uses none.</summary>
    public int? SpanRewardModelId { get; private set; }
    public int? PrincipleRewardModelId { get; private set; }

    public int? OutputPolicyId { get; private set; }

    /// <summary>Pairwise tasks the round gave people, and how many of them were labelled in time.</summary>
    public int HumanTasks { get; private set; }
    public int HumanLabelled { get; private set; }
    public DateTimeOffset? LabelsDueAt { get; private set; }

    /// <summary>The round's DPO pairs by who ordered them.</summary>
    public int HumanPairs { get; private set; }
    public int RewardModelPairs { get; private set; }

    /// <summary>The refreshed reward model's accuracy on its held-out pairs.</summary>
    public double? RewardAccuracy { get; private set; }

    /// <summary>How often the new policy's answer beat the previous policy's / the base's, as judged for the round.</summary>
    public double? WinRateVsPrevious { get; private set; }
    public double? WinRateVsBase { get; private set; }

    /// <summary>Everything else measured (confidence bounds, judge, speeds), JSON.</summary>
    public string MetricsJson { get; private set; } = "{}";

    /// <summary>The Hangfire job running the current stage, so a cancel can reach it.</summary>
    public string? JobId { get; private set; }

    public string? Error { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }

    public bool IsFinished => State is RoundState.Succeeded or RoundState.Failed or RoundState.Cancelled;

    public RoundStage? Current => Stage is { } kind ? _stages.Single(s => s.Kind == kind) : null;

    /// <summary>The stage that runs next: the current one until it finishes, then the one after; null after the last.</summary>
    public RoundStageKind? NextStage => Current switch
    {
        null => RoundStageKind.RewardModel,
        { IsFinished: false } current => current.Kind,
        { Kind: RoundStageKind.Evaluate } => null,
        var done => done.Kind + 1,
    };

    public void AttachJob(string jobId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        JobId = jobId;
    }

    /// <summary>Starts (or, after a worker died, resumes) the stage that is next; stages run only in order.</summary>
    public RoundStage EnterStage(RoundStageKind kind, DateTimeOffset now)
    {
        EnsureUnfinished();
        if (NextStage != kind)
            throw new DomainException($"Round {Number}: stage {kind} cannot run now; the next stage is {NextStage?.ToString() ?? "none"}.");
        State = RoundState.Running;
        StartedAt ??= now;
        if (Current is { IsFinished: false } resumed && resumed.Kind == kind)
            return resumed;
        var stage = new RoundStage(kind, now);
        _stages.Add(stage);
        Stage = kind;
        return stage;
    }

    public void ReportProgress(int done, int total) => Running().Progress(done, total);

    public void AttachRun(long runId) => Running().AttachRun(runId);

    public void FinishStage(string summary, DateTimeOffset now)
    {
        Running().Finish(summary, now);
        if (State == RoundState.WaitingForLabels)
            State = RoundState.Running;
    }

    public void RecordRewardModel(int modelId, double? heldOutAccuracy)
    {
        RewardModelId = modelId;
        RewardAccuracy = heldOutAccuracy;
    }

    public void RecordSpanRewardModel(int modelId) => SpanRewardModelId = modelId;

    public void RecordPrincipleRewardModel(int modelId) => PrincipleRewardModelId = modelId;

    /// <summary>The pairs stage handed <paramref name="tasks"/> tasks to people and waits for them until <paramref name="dueAt"/>.</summary>
    public void WaitForLabels(int tasks, DateTimeOffset dueAt)
    {
        if (Running().Kind != RoundStageKind.Pairs)
            throw new DomainException($"Round {Number} waits for labels only in its {RoundStageKind.Pairs} stage.");
        if (tasks < 0)
            throw new DomainException("A round cannot hand out a negative number of tasks.");
        HumanTasks = tasks;
        LabelsDueAt = dueAt;
        State = RoundState.WaitingForLabels;
    }

    public void RecordLabelled(int labelled)
    {
        if (labelled < 0 || labelled > HumanTasks)
            throw new DomainException($"Round {Number}: {labelled} labelled tasks is not within its {HumanTasks} tasks.");
        HumanLabelled = labelled;
    }

    public void RecordPairs(int human, int rewardModel)
    {
        if (human < 0 || rewardModel < 0)
            throw new DomainException("Pair counts cannot be negative.");
        HumanPairs = human;
        RewardModelPairs = rewardModel;
    }

    public void RecordPolicy(int policyId) => OutputPolicyId = policyId;

    public void RecordWinRates(double vsPrevious, double vsBase, string metricsJson)
    {
        if (vsPrevious is < 0 or > 1 || vsBase is < 0 or > 1)
            throw new DomainException("A win-rate is a share between 0 and 1.");
        WinRateVsPrevious = vsPrevious;
        WinRateVsBase = vsBase;
        MetricsJson = metricsJson;
    }

    public void Succeed(DateTimeOffset now)
    {
        if (OutputPolicyId is null || Current is not { Kind: RoundStageKind.Evaluate, IsFinished: true })
            throw new DomainException($"Round {Number} succeeds only after its last stage registered a policy.");
        EnsureUnfinished();
        State = RoundState.Succeeded;
        FinishedAt = now;
    }

    public void Fail(string error, DateTimeOffset now)
    {
        EnsureUnfinished();
        State = RoundState.Failed;
        Error = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        FinishedAt = now;
    }

    public void Cancel(DateTimeOffset now)
    {
        EnsureUnfinished();
        State = RoundState.Cancelled;
        FinishedAt = now;
    }

    private RoundStage Running()
    {
        EnsureUnfinished();
        return Current is { IsFinished: false } stage
            ? stage
            : throw new DomainException($"Round {Number} has no stage running.");
    }

    private void EnsureUnfinished()
    {
        if (IsFinished)
            throw new DomainException($"Round {Number} is already {State}.");
    }
}
