namespace PreferenceStudio.Core.Training;

public enum TrainingKind
{
    RewardModel = 0,
    Dpo = 1,
    Ppo = 2,
    OnlineDpo = 3,
    /// <summary>A token-level (span) reward model, one error category per tag (Fine-Grained RLHF).</summary>
    SpanRewardModel = 4,
    /// <summary>A principle-conditioned reward model trained on yes / no verdicts (RLBFF).</summary>
    PrincipleRewardModel = 5,
}

public enum RunState
{
    Queued = 0,
    Running = 1,
    Succeeded = 2,
    Failed = 3,
    Cancelled = 4,
}

/// <summary>One training run: its config, where it is, and how it ended.</summary>
public sealed class TrainingRun
{
    private TrainingRun() { }

    public TrainingRun(TrainingKind kind, string configJson, string createdBy, int? projectId = null, int? baseModelVersionId = null, long? roundId = null)
    {
        Kind = kind;
        ConfigJson = configJson;
        CreatedBy = createdBy;
        ProjectId = projectId;
        BaseModelVersionId = baseModelVersionId;
        RoundId = roundId;
        State = RunState.Queued;
        CreatedAt = DateTimeOffset.UtcNow;
    }

    public long Id { get; private set; }
    public int? ProjectId { get; private set; }
    public TrainingKind Kind { get; private set; }
    public string ConfigJson { get; private set; } = "{}";
    public RunState State { get; private set; }
    public int Step { get; private set; }
    public int TotalSteps { get; private set; }
    public string? Error { get; private set; }
    public string CreatedBy { get; private set; } = "";

    /// <summary>The worker that ran it last (a recovered run names the worker that finished it).</summary>
    public string? Node { get; private set; }

    /// <summary>The background job that trains it (Hangfire's id): its history, retries and cancellation live there.</summary>
    public string? JobId { get; private set; }

    public int? BaseModelVersionId { get; private set; }

    /// <summary>The loop round this run is a stage of; null for a run a researcher launched on its own.</summary>
    public long? RoundId { get; private set; }
    public int? OutputModelVersionId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }

    public bool IsFinished => State is RunState.Succeeded or RunState.Failed or RunState.Cancelled;
    public double Progress => TotalSteps == 0 ? 0 : (double)Step / TotalSteps;

    /// <summary>Starts the run; a running run may start again on another node when its first node died.</summary>
    public void Start(string node, int totalSteps, DateTimeOffset now)
    {
        if (IsFinished)
            throw new DomainException($"Run {Id} is {State}; a finished run cannot start again.");
        if (totalSteps < 0)
            throw new DomainException("Total steps cannot be negative.");
        State = RunState.Running;
        Node = node;
        TotalSteps = totalSteps;
        StartedAt ??= now;
    }

    /// <summary>Links the run to the job that was enqueued for it, so a cancel can reach that job.</summary>
    public void AttachJob(string jobId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        if (JobId is not null && JobId != jobId)
            throw new DomainException($"Run {Id} already belongs to job {JobId}.");
        JobId = jobId;
    }

    public void ReportProgress(int step)
    {
        if (State != RunState.Running)
            throw new DomainException($"Run {Id} is {State}; only a running run reports progress.");
        if (step < 0 || (TotalSteps > 0 && step > TotalSteps))
            throw new DomainException($"Step {step} is outside 0..{TotalSteps}.");
        Step = step;
    }

    public void Succeed(DateTimeOffset now, int? outputModelVersionId = null)
    {
        if (State != RunState.Running)
            throw new DomainException($"Run {Id} is {State}; only a running run can succeed.");
        State = RunState.Succeeded;
        OutputModelVersionId = outputModelVersionId;
        FinishedAt = now;
    }

    public void Fail(string error, DateTimeOffset now)
    {
        if (IsFinished)
            throw new DomainException($"Run {Id} is already {State}.");
        State = RunState.Failed;
        Error = error.Length > 4000 ? error[..4000] : error;
        FinishedAt = now;
    }

    public void Cancel(DateTimeOffset now)
    {
        if (IsFinished)
            throw new DomainException($"Run {Id} is already {State}.");
        State = RunState.Cancelled;
        FinishedAt = now;
    }
}
