namespace PreferenceStudio.Core.Training;

public enum ExportFormat
{
    /// <summary>TRL preference: prompt, chosen, rejected (conversational).</summary>
    TrlPreference = 0,
    /// <summary>TRL unpaired preference (KTO): prompt, completion, label.</summary>
    TrlUnpaired = 1,
    /// <summary>ultrafeedback_binarized layout from rankings: best as chosen, worst as rejected, scores from ranks.</summary>
    UltraFeedback = 2,
    /// <summary>HelpSteer3 preference layout: context, response1, response2, overall_preference -3..3 per task.</summary>
    HelpSteer = 3,
    /// <summary>Span-level labels, one row per response (Fine-Grained RLHF).</summary>
    FineGrainedSpans = 4,
    /// <summary>Binary principle feedback (RLBFF).</summary>
    PrincipleFeedback = 5,
}

/// <summary>A dataset file made from a project's current labels.</summary>
public sealed class DatasetExport
{
    private DatasetExport() { }

    public DatasetExport(int projectId, ExportFormat format, string createdBy, string filterJson = "{}")
    {
        ProjectId = projectId;
        Format = format;
        CreatedBy = createdBy;
        FilterJson = filterJson;
        State = RunState.Queued;
        CreatedAt = DateTimeOffset.UtcNow;
    }

    public long Id { get; private set; }
    public int ProjectId { get; private set; }
    public ExportFormat Format { get; private set; }
    public RunState State { get; private set; }
    public string FilterJson { get; private set; } = "{}";
    public string? FilePath { get; private set; }
    public int RowCount { get; private set; }
    public string? Error { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }

    public void Start()
    {
        if (State is not (RunState.Queued or RunState.Running))
            throw new DomainException($"Export {Id} is {State}; it cannot start.");
        State = RunState.Running;
    }

    public void Complete(string filePath, int rowCount, DateTimeOffset now)
    {
        if (State != RunState.Running)
            throw new DomainException($"Export {Id} is {State}; only a running export completes.");
        State = RunState.Succeeded;
        FilePath = filePath;
        RowCount = rowCount;
        FinishedAt = now;
    }

    public void Fail(string error, DateTimeOffset now)
    {
        if (State is RunState.Succeeded or RunState.Failed)
            throw new DomainException($"Export {Id} is already {State}.");
        State = RunState.Failed;
        Error = error;
        FinishedAt = now;
    }
}
