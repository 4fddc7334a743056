namespace PreferenceStudio.Core.Loop;

/// <summary>One stage of a round as it ran: when, how far (Done of Total units: steps, prompts, pairs), and what it made.</summary>
public sealed class RoundStage
{
    public const int MaxSummaryLength = 2000;

    private RoundStage() { }

    internal RoundStage(RoundStageKind kind, DateTimeOffset now)
    {
        Kind = kind;
        StartedAt = now;
    }

    public RoundStageKind Kind { get; private set; }
    public int Done { get; private set; }
    public int Total { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>The training run this stage ran (reward model, DPO), for its curves and checkpoints.</summary>
    public long? RunId { get; private set; }

    /// <summary>What the stage made, in a line a researcher reads ("24 prompts, 96 samples, 1,530 tokens/s").</summary>
    public string? Summary { get; private set; }

    public bool IsFinished => FinishedAt is not null;

    internal void Progress(int done, int total)
    {
        if (total < 0 || done < 0 || done > total)
            throw new DomainException($"Stage {Kind}: progress {done} of {total} is not a count within its total.");
        Done = done;
        Total = total;
    }

    internal void AttachRun(long runId) => RunId = runId;

    internal void Finish(string summary, DateTimeOffset now)
    {
        Summary = summary.Length > MaxSummaryLength ? summary[..MaxSummaryLength] : summary;
        FinishedAt = now;
    }
}
