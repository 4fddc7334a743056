using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Core.Annotations;

/// <summary>
/// One annotator's label on one task. Labels are never overwritten or deleted: an edit adds a new version
/// that supersedes the previous one, and only the latest version of each (task, annotator) is current.
/// </summary>
public abstract class Annotation
{
    protected Annotation() { }

    protected Annotation(TaskKind kind, AnnotationContext context)
    {
        if (context.TimeSpent < TimeSpan.Zero)
            throw new DomainException("Time spent cannot be negative.");
        if (context.ShownOrder.Count == 0)
            throw new DomainException("An annotation records the order in which responses were shown.");
        if (context.Rationale is { Length: > 10_000 })
            throw new DomainException("A rationale has at most 10000 characters.");
        Kind = kind;
        TaskId = context.TaskId;
        AnnotatorId = context.AnnotatorId;
        AssignmentId = context.AssignmentId;
        IdempotencyKey = context.IdempotencyKey;
        TimeSpentMs = (long)context.TimeSpent.TotalMilliseconds;
        ShownOrder = [.. context.ShownOrder];
        Rationale = string.IsNullOrWhiteSpace(context.Rationale) ? null : context.Rationale;
        Version = 1;
        CreatedAt = context.At;
    }

    public long Id { get; private set; }
    public TaskKind Kind { get; private set; }
    public long TaskId { get; private set; }
    public string AnnotatorId { get; private set; } = "";
    public long? AssignmentId { get; private set; }

    /// <summary>Sent by the client with each submit, so a retried or double-clicked submit stores one label.</summary>
    public Guid IdempotencyKey { get; private set; }

    public int Version { get; private set; }
    public long? PreviousVersionId { get; private set; }
    public DateTimeOffset? SupersededAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public long TimeSpentMs { get; private set; }

    /// <summary>Response ids in the order the annotator saw them (position bias is measurable from this).</summary>
    public int[] ShownOrder { get; private set; } = [];

    public string? Rationale { get; private set; }

    public bool IsCurrent => SupersededAt is null;

    /// <summary>Makes <paramref name="next"/> the new version of this label.</summary>
    public void SupersedeWith(Annotation next)
    {
        if (SupersededAt is not null)
            throw new DomainException($"Annotation {Id} (version {Version}) is already superseded; edit the current version.");
        if (next.TaskId != TaskId || next.AnnotatorId != AnnotatorId)
            throw new DomainException("A new version must be by the same annotator on the same task.");
        if (next.Kind != Kind)
            throw new DomainException($"A {Kind} annotation cannot be superseded by a {next.Kind} one.");
        if (next.Id != 0)
            throw new DomainException("Only a new, unsaved annotation can become the next version.");
        next.Version = Version + 1;
        next.PreviousVersionId = Id;
        next.AssignmentId = AssignmentId;
        SupersededAt = next.CreatedAt;
    }
}

/// <summary>What every annotation records besides its answer.</summary>
public sealed record AnnotationContext(
    long TaskId,
    string AnnotatorId,
    long? AssignmentId,
    Guid IdempotencyKey,
    TimeSpan TimeSpent,
    IReadOnlyList<int> ShownOrder,
    string? Rationale,
    DateTimeOffset At);
