using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using PreferenceStudio.Core;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Data;

namespace PreferenceStudio.Annotating;

/// <summary>
/// Hands out task slots. PostgreSQL decides who gets what: candidate tasks are row-locked with SKIP LOCKED, so
/// concurrent annotators on any number of web nodes never take the same slot, and the unique indexes on assignments
/// (one live assignment per slot, one assignment per annotator and task) are the last word.
/// </summary>
public sealed class AnnotationQueue(PreferenceStudioDbContext db, TimeProvider clock, ILogger<AnnotationQueue> logger)
{
    private const int MaxAttempts = 5;

    /// <summary>
    /// The annotator's current lease in the project, or a new one on the best open task: highest priority first,
    /// oldest first, gold tasks mixed in at the project's rate. Null when nothing is left for this annotator.
    /// </summary>
    public async Task<Lease?> NextAsync(Project project, string annotatorId, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryNextAsync(project, annotatorId, ct);
            }
            catch (DbUpdateException ex) when (ex.UniqueViolation() is { } index && attempt < MaxAttempts)
            {
                // Another request took the slot between our count and our insert; the index refused it. Try again.
                logger.LogInformation("Lease race on {Index} for {Annotator}, attempt {Attempt}", index, annotatorId, attempt);
                db.ChangeTracker.Clear();
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < MaxAttempts)
            {
                // Two requests waited on each other's candidate rows; PostgreSQL chose us to give way. Try again.
                logger.LogInformation("Lease deadlock for {Annotator}, attempt {Attempt}", annotatorId, attempt);
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<Lease?> TryNextAsync(Project project, string annotatorId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // One queue decision at a time per annotator (two tabs must not each lease a task).
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({"queue:" + annotatorId}))", ct);

        var current = await db.Assignments.AsNoTracking()
            .Where(a => a.AnnotatorId == annotatorId && a.State == AssignmentState.Active && a.ExpiresAt > now)
            .Where(a => db.Tasks.Any(t => t.Id == a.TaskId && t.ProjectId == project.Id && t.State == TaskState.Open))
            .OrderBy(a => a.LeasedAt)
            .Select(a => new { a.Id, a.TaskId, a.Slot, a.ExpiresAt })
            .FirstOrDefaultAsync(ct);
        if (current is not null)
        {
            var kind = await db.Tasks.Where(t => t.Id == current.TaskId).Select(t => t.Kind).SingleAsync(ct);
            await tx.CommitAsync(ct);
            return new Lease(current.Id, current.TaskId, kind, current.Slot, current.ExpiresAt, IsNew: false);
        }

        // Leases whose holder walked away go back to the pool before we look for a free slot.
        await db.Database.ExecuteSqlAsync($"""
            UPDATE assignments AS a SET state = {(int)AssignmentState.Expired}, closed_at = {now}
            FROM annotation_tasks AS t
            WHERE a.task_id = t.id AND t.project_id = {project.Id}
              AND a.state = {(int)AssignmentState.Active} AND a.expires_at <= {now}
            """, ct);

        var wantGold = project.GoldRate > 0 && Random.Shared.NextDouble() < project.GoldRate;
        foreach (var gold in new[] { wantGold, !wantGold })
        {
            var lease = await LeaseFromPoolAsync(project, annotatorId, gold, now, ct);
            if (lease is not null)
            {
                await tx.CommitAsync(ct);
                return lease;
            }
        }
        await tx.CommitAsync(ct);
        return null;
    }

    private async Task<Lease?> LeaseFromPoolAsync(Project project, string annotatorId, bool gold, DateTimeOffset now, CancellationToken ct)
    {
        var tried = new List<long>();
        while (true)
        {
            // Lock one candidate; rows other requests hold are skipped, not waited for.
            var candidate = await CandidateAsync(project, annotatorId, gold, tried, skipLocked: true, ct);
            // Nothing unlocked: the candidates left may all be held for a moment by requests that will leave
            // them with a free slot (overlap above 1). Wait for the first one rather than report "nothing left".
            candidate ??= await CandidateAsync(project, annotatorId, gold, tried, skipLocked: false, ct);
            if (candidate is not { } taskId)
                return null;
            tried.Add(taskId);

            // Counted again now that we hold the row lock: this statement sees every lease committed before it.
            var task = await db.Tasks.AsNoTracking().Where(t => t.Id == taskId)
                .Select(t => new { t.Kind, t.State, t.RequiredAnnotations }).SingleAsync(ct);
            var held = await db.Assignments.AsNoTracking()
                .Where(a => a.TaskId == taskId && a.State != AssignmentState.Skipped)
                .Select(a => new { a.Slot, a.State }).ToListAsync(ct);
            var live = held.Where(a => a.State is AssignmentState.Active or AssignmentState.Submitted).Select(a => a.Slot).ToList();
            if (task.State != TaskState.Open || live.Count >= task.RequiredAnnotations)
                continue;
            // A slot whose lease ran out is given away last: its holder may still submit late, and is stored
            // as long as the slot is free, that is, as long as the task still needs that label.
            var slot = Enumerable.Range(1, task.RequiredAnnotations).Where(s => !live.Contains(s))
                .OrderBy(s => held.Any(a => a.Slot == s && a.State == AssignmentState.Expired)).ThenBy(s => s).First();

            var assignment = new Assignment(taskId, annotatorId, slot, now, project.LeaseDuration);
            db.Assignments.Add(assignment);
            await db.SaveChangesAsync(ct);
            return new Lease(assignment.Id, taskId, task.Kind, slot, assignment.ExpiresAt, IsNew: true);
        }
    }

    private async Task<long?> CandidateAsync(Project project, string annotatorId, bool gold, List<long> tried, bool skipLocked, CancellationToken ct)
    {
        var format = """
            SELECT t.id AS "Value" FROM annotation_tasks AS t
            WHERE t.project_id = {0} AND t.state = {1} AND t.is_gold = {2} AND t.id <> ALL({3})
              AND NOT EXISTS (SELECT 1 FROM assignments AS a WHERE a.task_id = t.id AND a.annotator_id = {4})
              AND (SELECT count(*) FROM assignments AS a WHERE a.task_id = t.id AND a.state IN (0, 1)) < t.required_annotations
            ORDER BY t.priority DESC, t.id
            LIMIT 1
            """ + (skipLocked ? " FOR UPDATE OF t SKIP LOCKED" : " FOR UPDATE OF t");
        var sql = FormattableStringFactory.Create(format, project.Id, (int)TaskState.Open, gold, tried.ToArray(), annotatorId);
        var ids = await db.Database.SqlQuery<long>(sql).ToListAsync(ct);
        return ids.Count == 0 ? null : ids[0];
    }

    /// <summary>Gives the slot back to the pool; this annotator will not be given the task again.</summary>
    public async Task<QueueOutcome> SkipAsync(long assignmentId, string annotatorId, string? reason, CancellationToken ct = default)
    {
        if (reason is { Length: > 500 })
            return QueueOutcome.Invalid($"reason: at most 500 characters, got {reason.Length}.");
        if (StorableText.Problem(reason) is { } unstorable)
            return QueueOutcome.Invalid($"reason: {unstorable}");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT id FROM assignments WHERE id = {assignmentId} FOR UPDATE", ct);
        var assignment = await db.Assignments.SingleOrDefaultAsync(a => a.Id == assignmentId && a.AnnotatorId == annotatorId, ct);
        if (assignment is null)
            return QueueOutcome.NotFound($"You hold no assignment {assignmentId}.");
        if (assignment.State == AssignmentState.Skipped)
            return QueueOutcome.Done;
        try
        {
            assignment.Skip(reason, clock.GetUtcNow());
        }
        catch (DomainException ex)
        {
            return QueueOutcome.Conflict(ex.Message);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return QueueOutcome.Done;
    }

    /// <summary>
    /// Extends the lease of an annotator who is still working on the task (the page sends this while there is
    /// activity), so a long task is not handed to someone else under their hands.
    /// </summary>
    public async Task<QueueOutcome> RenewAsync(long assignmentId, string annotatorId, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT id FROM assignments WHERE id = {assignmentId} FOR UPDATE", ct);
        var assignment = await db.Assignments.SingleOrDefaultAsync(a => a.Id == assignmentId && a.AnnotatorId == annotatorId, ct);
        if (assignment is null)
            return QueueOutcome.NotFound($"You hold no assignment {assignmentId}.");
        if (assignment.State != AssignmentState.Active)
            return QueueOutcome.Conflict($"Your lease on task {assignment.TaskId} is {assignment.State.ToString().ToLowerInvariant()}; it can no longer be renewed.");
        var lease = await db.Tasks.Where(t => t.Id == assignment.TaskId)
            .Join(db.Projects, t => t.ProjectId, p => p.Id, (t, p) => p.LeaseDuration).SingleAsync(ct);
        assignment.Renew(clock.GetUtcNow(), lease);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return QueueOutcome.Done;
    }

    public async Task<Progress> ProgressAsync(int projectId, string annotatorId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var doneToday = await db.Assignments.CountAsync(a =>
            a.AnnotatorId == annotatorId && a.State == AssignmentState.Submitted && a.ClosedAt >= today &&
            db.Tasks.Any(t => t.Id == a.TaskId && t.ProjectId == projectId), ct);
        var left = await db.Tasks.CountAsync(t =>
            t.ProjectId == projectId && t.State == TaskState.Open &&
            !db.Assignments.Any(a => a.TaskId == t.Id && a.AnnotatorId == annotatorId), ct);
        return new Progress(doneToday, left);
    }

    /// <summary>Whether the annotator was ever given a task of the project (the guidelines come first otherwise).</summary>
    public Task<bool> HasStartedAsync(int projectId, string annotatorId, CancellationToken ct = default) =>
        db.Assignments.AnyAsync(a => a.AnnotatorId == annotatorId && db.Tasks.Any(t => t.Id == a.TaskId && t.ProjectId == projectId), ct);

    /// <summary>The task this annotator labelled most recently in the project, to go back and edit it.</summary>
    public Task<long?> PreviousTaskAsync(int projectId, string annotatorId, CancellationToken ct = default) =>
        db.Annotations.AsNoTracking()
            .Where(a => a.AnnotatorId == annotatorId && a.SupersededAt == null && db.Tasks.Any(t => t.Id == a.TaskId && t.ProjectId == projectId))
            .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id)
            .Select(a => (long?)a.TaskId)
            .FirstOrDefaultAsync(ct);
}

/// <summary>The result of a queue action other than leasing.</summary>
public sealed record QueueOutcome(OutcomeKind Kind, string? Message)
{
    public static readonly QueueOutcome Done = new(OutcomeKind.Done, null);
    public static QueueOutcome Invalid(string message) => new(OutcomeKind.Invalid, message);
    public static QueueOutcome NotFound(string message) => new(OutcomeKind.NotFound, message);
    public static QueueOutcome Conflict(string message) => new(OutcomeKind.Conflict, message);
}
