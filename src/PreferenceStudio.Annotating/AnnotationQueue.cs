using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
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
    public Task<Lease?> NextAsync(Project project, string annotatorId, CancellationToken ct = default) =>
        NextAsync(QueueSettings.Of(project), annotatorId, ct);

    /// <inheritdoc cref="NextAsync(Project, string, CancellationToken)"/>
    public async Task<Lease?> NextAsync(QueueSettings project, string annotatorId, CancellationToken ct = default)
    {
        var wantGold = project.GoldRate > 0 && Random.Shared.NextDouble() < project.GoldRate;
        if (await LeaseAtOnceAsync(project, annotatorId, wantGold, ct) is { } lease)
            return lease;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryNextAsync(project, annotatorId, wantGold, ct);
            }
            catch (PostgresException ex) when (ex.UniqueViolation() is { } index && attempt < MaxAttempts)
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

    /// <summary>The common case in one round trip (<see cref="LeaseStatements.LeaseAtOnceAsync"/>); null sends the caller the locked way.</summary>
    private Task<Lease?> LeaseAtOnceAsync(QueueSettings project, string annotatorId, bool gold, CancellationToken ct) =>
        StatementsOnTheirOwn.RunAsync(db, connection =>
            LeaseStatements.LeaseAtOnceAsync(connection, project.ProjectId, annotatorId, gold, clock.GetUtcNow(), project.LeaseDuration, ct), ct);

    private async Task<Lease?> TryNextAsync(QueueSettings project, string annotatorId, bool wantGold, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var npgsqlTx = (NpgsqlTransaction)tx.GetDbTransaction();

        // The common case in two round trips: lock, reclaim, current lease or a locked candidate; then its slot.
        var (current, first) = await LeaseStatements.LockAndLookAsync(connection, npgsqlTx, project.ProjectId, annotatorId, wantGold, now, ct);
        if (current is not null)
        {
            await tx.CommitAsync(ct);
            return current;
        }
        var tried = new List<long>();
        if (first is { } candidate)
        {
            if (await LeaseStatements.TakeSlotAsync(connection, npgsqlTx, candidate, annotatorId, now, project.LeaseDuration, ct) is { } lease)
            {
                await tx.CommitAsync(ct);
                return lease;
            }
            tried.Add(candidate.Id);
        }

        foreach (var gold in new[] { wantGold, !wantGold })
        {
            var lease = await LeaseFromPoolAsync(connection, npgsqlTx, project, annotatorId, gold, now, gold == wantGold ? tried : [], ct);
            if (lease is not null)
            {
                await tx.CommitAsync(ct);
                return lease;
            }
        }
        await tx.CommitAsync(ct);
        return null;
    }

    private static async Task<Lease?> LeaseFromPoolAsync(NpgsqlConnection connection, NpgsqlTransaction tx, QueueSettings project, string annotatorId,
        bool gold, DateTimeOffset now, List<long> tried, CancellationToken ct)
    {
        while (true)
        {
            // Lock one candidate; rows other requests hold are skipped, not waited for.
            var candidate = await LeaseStatements.CandidateAsync(connection, tx, project.ProjectId, annotatorId, gold, [.. tried], wait: false, ct);
            // Nothing unlocked: the candidates left may all be held for a moment by requests that will leave
            // them with a free slot (overlap above 1). Wait for the first one rather than report "nothing left".
            candidate ??= await LeaseStatements.CandidateAsync(connection, tx, project.ProjectId, annotatorId, gold, [.. tried], wait: true, ct);
            if (candidate is not { } task)
                return null;
            tried.Add(task.Id);
            if (await LeaseStatements.TakeSlotAsync(connection, tx, task, annotatorId, now, project.LeaseDuration, ct) is { } lease)
                return lease;
        }
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
