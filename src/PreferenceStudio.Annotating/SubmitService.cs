using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Data;

namespace PreferenceStudio.Annotating;

/// <summary>
/// Stores labels, one transaction per submit. Rows are locked in a fixed order (assignment, then task) so concurrent
/// submits and lease decisions never see half of each other; the idempotency key is checked under the lock, and the
/// unique index on (annotator, key) catches whatever slips past. A submit on a live lease, nearly every one, is
/// first tried as a lookup and one guarded statement, without holding locks between round trips.
/// </summary>
public sealed class SubmitService(PreferenceStudioDbContext db, TimeProvider clock)
{
    /// <summary>The first label of a leased task.</summary>
    public async Task<SubmitOutcome> SubmitAsync(long assignmentId, string annotatorId, SubmitRequest request, CancellationToken ct = default)
    {
        // A failed save ends the submit's transaction anyway (the catch below reads outside it), so the savepoint EF
        // would set around the save is a round trip for nothing. Restored for whoever uses the context next.
        var savepoints = db.Database.AutoSavepointsEnabled;
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            return await TryStoreAtOnceAsync(assignmentId, annotatorId, request, ct)
                ?? await TrySubmitAsync(assignmentId, annotatorId, request, ct);
        }
        catch (Exception ex) when (ex.UniqueViolation() is not null)
        {
            db.ChangeTracker.Clear();
            return await AlreadyStoredAsync(annotatorId, request.IdempotencyKey, taskId: null, ct)
                ?? SubmitOutcome.Refused("This task was labelled by another request at the same moment; reload to continue.");
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = savepoints;
        }
    }

    /// <summary>
    /// The common case, a live lease on an open task, in two statements (<see cref="SubmitStatements"/>); null when the
    /// case is another (a late submit, a closed task, a lease that changed since the lookup), for the locked way below,
    /// which has a message for each. Every answer it gives is the one the locked way would give.
    /// </summary>
    private Task<SubmitOutcome?> TryStoreAtOnceAsync(long assignmentId, string annotatorId, SubmitRequest request, CancellationToken ct) =>
        StatementsOnTheirOwn.RunAsync(db, async connection =>
        {
            var now = clock.GetUtcNow();
            var found = await SubmitStatements.LookupAsync(connection, assignmentId, annotatorId, request.IdempotencyKey, ct);
            if (found.TaskId is not { } taskId)
                return SubmitOutcome.NotFound($"You hold no assignment {assignmentId}.");
            if (found.Stored is { } stored)
                return AlreadyStored(stored, request.IdempotencyKey, taskId);
            if (found.AssignmentState != AssignmentState.Active || found.ExpiresAt <= now || found.TaskState != TaskState.Open)
                return null;
            var (label, error) = AnswerValidator.Build(found.Facts!, request, annotatorId, assignmentId, now);
            if (label is null)
                return SubmitOutcome.Invalid(error!);
            return await SubmitStatements.StoreAsync(connection, assignmentId, label, ct) is { } id
                ? SubmitOutcome.Stored(new SubmitReceipt(id, taskId, label.Version, AlreadyStored: false, Late: false, "Stored."))
                : null;
        }, ct);

    private async Task<SubmitOutcome> TrySubmitAsync(long assignmentId, string annotatorId, SubmitRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Locked and loaded in one statement; the lock is taken whoever holds the assignment, as before.
        var assignment = await db.Assignments.FromSql($"SELECT * FROM assignments WHERE id = {assignmentId} FOR UPDATE")
            .SingleOrDefaultAsync(a => a.AnnotatorId == annotatorId, ct);
        if (assignment is null)
            return SubmitOutcome.NotFound($"You hold no assignment {assignmentId}.");
        if (await AlreadyStoredAsync(annotatorId, request.IdempotencyKey, assignment.TaskId, ct) is { } stored)
            return stored;
        switch (assignment.State)
        {
            case AssignmentState.Submitted:
                return SubmitOutcome.Refused($"Task {assignment.TaskId} is already labelled by you; go back to your previous answer to edit it.");
            case AssignmentState.Skipped:
                return SubmitOutcome.Refused($"You skipped task {assignment.TaskId}; it went back to the pool.");
        }

        // Locked and loaded with its responses in one statement (a split query would read the task twice).
        var task = await db.Tasks.FromSql($"SELECT * FROM annotation_tasks WHERE id = {assignment.TaskId} FOR UPDATE")
            .AsSingleQuery().SingleAsync(ct);
        var late = assignment.State == AssignmentState.Expired || assignment.ExpiresAt <= now;
        if (task.State != TaskState.Open)
            return SubmitOutcome.Refused(late
                ? $"Your lease on task {task.Id} ran out and the task no longer needs a label ({task.State}); nothing was stored."
                : $"Task {task.Id} is {task.State} and takes no more labels; nothing was stored.");
        if (assignment.State == AssignmentState.Expired)
        {
            // The task row is locked, so no lease can take a slot between this count and the save.
            var live = await db.Assignments
                .Where(a => a.TaskId == task.Id && a.Id != assignment.Id &&
                            (a.State == AssignmentState.Active || a.State == AssignmentState.Submitted))
                .Select(a => a.Slot).ToListAsync(ct);
            if (live.Contains(assignment.Slot))
            {
                var free = Enumerable.Range(1, task.RequiredAnnotations).Where(s => !live.Contains(s)).ToList();
                if (free.Count == 0)
                    return SubmitOutcome.Refused($"Your lease on task {task.Id} ran out and its slot was given to another annotator; nothing was stored.");
                assignment.MoveToSlot(free[0]);
            }
        }

        var facts = await FactsAsync(task, ct);
        var (label, error) = AnswerValidator.Build(facts, request, annotatorId, assignment.Id, now);
        if (label is null)
            return SubmitOutcome.Invalid(error!);

        assignment.Submit(now);
        task.RecordAnnotation();
        db.Annotations.Add(label);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return SubmitOutcome.Stored(new SubmitReceipt(label.Id, task.Id, label.Version, AlreadyStored: false, late,
            late ? "Stored, although your lease had run out: the task still needed your label." : "Stored."));
    }

    /// <summary>A new version of the annotator's current label on a task; the old one stays, superseded.</summary>
    public async Task<SubmitOutcome> ReviseAsync(long taskId, string annotatorId, SubmitRequest request, CancellationToken ct = default)
    {
        try
        {
            return await TryReviseAsync(taskId, annotatorId, request, ct);
        }
        catch (DbUpdateException ex) when (ex.UniqueViolation() is not null)
        {
            db.ChangeTracker.Clear();
            return await AlreadyStoredAsync(annotatorId, request.IdempotencyKey, taskId: null, ct)
                ?? SubmitOutcome.Refused($"Your label on task {taskId} was edited by another request at the same moment; reload to see it.");
        }
    }

    private async Task<SubmitOutcome> TryReviseAsync(long taskId, string annotatorId, SubmitRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync(
            $"SELECT id FROM annotations WHERE task_id = {taskId} AND annotator_id = {annotatorId} AND superseded_at IS NULL FOR UPDATE", ct);
        if (await AlreadyStoredAsync(annotatorId, request.IdempotencyKey, taskId, ct) is { } stored)
            return stored;
        var current = await db.Annotations.SingleOrDefaultAsync(a => a.TaskId == taskId && a.AnnotatorId == annotatorId && a.SupersededAt == null, ct);
        if (current is null)
            return SubmitOutcome.NotFound($"You have no label on task {taskId} to edit.");
        var task = await db.Tasks.AsNoTracking().AsSingleQuery().SingleAsync(t => t.Id == taskId, ct);
        if (task.State == TaskState.Retired)
            return SubmitOutcome.Refused($"Task {taskId} was retired; its labels can no longer be edited.");

        var facts = await FactsAsync(task, ct);
        var (next, error) = AnswerValidator.Build(facts, request, annotatorId, current.AssignmentId, now);
        if (next is null)
            return SubmitOutcome.Invalid(error!);
        current.SupersedeWith(next);
        // Two saves: the old version leaves the "current" index before the new one enters it.
        await db.SaveChangesAsync(ct);
        db.Annotations.Add(next);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return SubmitOutcome.Stored(new SubmitReceipt(next.Id, taskId, next.Version, AlreadyStored: false, Late: false,
            $"Stored as version {next.Version}; version {current.Version} is kept, superseded."));
    }

    private async Task<SubmitOutcome?> AlreadyStoredAsync(string annotatorId, Guid key, long? taskId, CancellationToken ct)
    {
        var existing = await db.Annotations.AsNoTracking()
            .Where(a => a.AnnotatorId == annotatorId && a.IdempotencyKey == key)
            .Select(a => new StoredLabel(a.Id, a.TaskId, a.Version))
            .SingleOrDefaultAsync(ct);
        return existing is null ? null : AlreadyStored(existing, key, taskId);
    }

    private static SubmitOutcome AlreadyStored(StoredLabel existing, Guid key, long? taskId) =>
        taskId is { } id && existing.TaskId != id
            ? SubmitOutcome.Invalid($"idempotencyKey: {key} was already used for your label on task {existing.TaskId}; make a new key per task.")
            : SubmitOutcome.Stored(new SubmitReceipt(existing.Id, existing.TaskId, existing.Version, AlreadyStored: true, Late: false,
                "Already stored: this submit was received before, and the label is kept once."));

    private Task<TaskFacts> FactsAsync(AnnotationTask task, CancellationToken ct) =>
        TaskFactsStatement.ReadAsync((NpgsqlConnection)db.Database.GetDbConnection(),
            (NpgsqlTransaction)db.Database.CurrentTransaction!.GetDbTransaction(), task.Id, ct);
}
