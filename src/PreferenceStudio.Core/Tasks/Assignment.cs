namespace PreferenceStudio.Core.Tasks;

public enum AssignmentState
{
    /// <summary>Leased to the annotator until <see cref="Assignment.ExpiresAt"/>.</summary>
    Active = 0,
    Submitted = 1,
    Skipped = 2,
    /// <summary>The lease ran out; the slot went back to the pool.</summary>
    Expired = 3,
}

/// <summary>
/// One of a task's k slots leased to one annotator. The database keeps a live slot unique per task
/// and an annotator unique per task, so two people never hold the same slot and nobody labels a task twice.
/// </summary>
public sealed class Assignment
{
    private Assignment() { }

    public Assignment(long taskId, string annotatorId, int slot, DateTimeOffset now, TimeSpan lease)
    {
        if (slot < 1) throw new DomainException($"Slots are numbered from 1, got {slot}.");
        if (lease <= TimeSpan.Zero) throw new DomainException("A lease must be positive.");
        TaskId = taskId;
        AnnotatorId = annotatorId;
        Slot = slot;
        State = AssignmentState.Active;
        LeasedAt = now;
        ExpiresAt = now + lease;
    }

    public long Id { get; private set; }
    public long TaskId { get; private set; }
    public string AnnotatorId { get; private set; } = "";
    public int Slot { get; private set; }
    public AssignmentState State { get; private set; }
    public DateTimeOffset LeasedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public string? SkipReason { get; private set; }

    public bool IsLeaseExpired(DateTimeOffset now) => State == AssignmentState.Active && now >= ExpiresAt;

    /// <summary>Returns an abandoned slot to the pool. Only a lease that has run out can expire.</summary>
    public void Expire(DateTimeOffset now)
    {
        if (State != AssignmentState.Active)
            throw new DomainException($"Assignment {Id} is {State}; only an active lease can expire.");
        if (now < ExpiresAt)
            throw new DomainException($"Assignment {Id} is leased until {ExpiresAt:O}; it cannot expire at {now:O}.");
        State = AssignmentState.Expired;
        ClosedAt = now;
    }

    /// <summary>
    /// A late submit whose slot went to someone else while another slot of the task fell free (a skip) takes that
    /// slot: the task still needs the label, so it is not thrown away.
    /// </summary>
    public void MoveToSlot(int slot)
    {
        if (State != AssignmentState.Expired)
            throw new DomainException($"Assignment {Id} is {State}; only an expired lease changes slot.");
        if (slot < 1) throw new DomainException($"Slots are numbered from 1, got {slot}.");
        Slot = slot;
    }

    public void Submit(DateTimeOffset now)
    {
        if (State is not (AssignmentState.Active or AssignmentState.Expired))
            throw new DomainException($"Assignment {Id} is {State}; it cannot be submitted.");
        State = AssignmentState.Submitted;
        ClosedAt = now;
    }

    public void Skip(string? reason, DateTimeOffset now)
    {
        if (State != AssignmentState.Active)
            throw new DomainException($"Assignment {Id} is {State}; only an active lease can be skipped.");
        if (reason is { Length: > 500 })
            throw new DomainException("A skip reason has at most 500 characters.");
        State = AssignmentState.Skipped;
        SkipReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        ClosedAt = now;
    }

    public void Renew(DateTimeOffset now, TimeSpan lease)
    {
        if (State != AssignmentState.Active)
            throw new DomainException($"Assignment {Id} is {State}; only an active lease can be renewed.");
        ExpiresAt = now + lease;
    }
}
