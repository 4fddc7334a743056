using Npgsql;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;

namespace PreferenceStudio.Annotating;

/// <summary>
/// The queue's statements, sent straight through Npgsql on the context's connection: a next task is usually one round
/// trip (<see cref="LeaseAtOnceAsync"/>), and otherwise two and a commit in the locked way's transaction. Statements in
/// one batch run one after the other, each with its own snapshot (READ COMMITTED), so the lease lookup still sees
/// everything committed before the advisory lock was granted.
/// </summary>
internal static class LeaseStatements
{
    private const int Active = (int)AssignmentState.Active;
    private const int Expired = (int)AssignmentState.Expired;
    private const int Open = (int)TaskState.Open;

    // One queue decision at a time per annotator (two tabs must not each lease a task).
    private const string LockAnnotator = "SELECT 1 FROM pg_advisory_xact_lock(hashtext('queue:' || $1))";

    // Leases whose holder walked away go back to the pool before we look for a free slot. Counted, so that every
    // statement of the batch answers with exactly one result set.
    internal static readonly string ExpireLeases = $"""
        WITH expired AS (
            UPDATE assignments AS a SET state = {Expired}, closed_at = $2
            FROM annotation_tasks AS t
            WHERE a.task_id = t.id AND t.project_id = $1 AND a.state = {Active} AND a.expires_at <= $2
            RETURNING 1)
        SELECT count(*) FROM expired
        """;

    internal static readonly string CurrentLease = $"""
        SELECT a.id, a.task_id, t.kind, a.slot, a.expires_at
        FROM assignments AS a JOIN annotation_tasks AS t ON t.id = a.task_id
        WHERE a.annotator_id = $1 AND a.state = {Active} AND a.expires_at > $2 AND t.project_id = $3 AND t.state = {Open}
        ORDER BY a.leased_at
        LIMIT 1
        """;

    // The best open task this annotator has not had and that has a slot free, row-locked. Rows other requests hold
    // are skipped (or, with wait, waited for). The free-slot count uses this statement's snapshot; TakeSlot counts
    // again once the lock is held.
    internal static string Candidate(bool wait, bool unlessLeased = false) => $"""
        SELECT t.id, t.kind, t.required_annotations FROM annotation_tasks AS t
        WHERE {(unlessLeased ? NoCurrentLease + " AND" : "")} t.project_id = $1 AND t.state = {Open} AND t.is_gold = $2 AND t.id <> ALL($3)
          AND NOT EXISTS (SELECT 1 FROM assignments AS a WHERE a.task_id = t.id AND a.annotator_id = $4)
          AND (SELECT count(*) FROM assignments AS a WHERE a.task_id = t.id AND a.state IN (0, 1)) < t.required_annotations
        ORDER BY t.priority DESC, t.id
        LIMIT 1
        FOR UPDATE OF t{(wait ? "" : " SKIP LOCKED")}
        """;

    // In the first batch the candidate is looked for only when the annotator holds no lease ($5 is now).
    private static readonly string NoCurrentLease = $"""
        NOT EXISTS (SELECT 1 FROM assignments AS c JOIN annotation_tasks AS ct ON ct.id = c.task_id
                    WHERE c.annotator_id = $4 AND c.state = {Active} AND c.expires_at > $5 AND ct.project_id = $1 AND ct.state = {Open})
        """;

    // Under the task's row lock, in a fresh snapshot that sees every lease committed before it: the lowest free slot,
    // one whose lease ran out given last (its holder may still submit late, and is stored while the slot is free).
    // No row when the task filled up or closed meanwhile.
    internal static readonly string TakeSlot = $"""
        INSERT INTO assignments (task_id, annotator_id, slot, state, leased_at, expires_at)
        SELECT t.id, $2, s.slot, {Active}, $3, $4
        FROM annotation_tasks AS t
        CROSS JOIN LATERAL ({FreeSlot("t")}) AS s
        WHERE t.id = $1 AND t.state = {Open}
          AND (SELECT count(*) FROM assignments AS a WHERE a.task_id = t.id AND a.state IN (0, 1)) < t.required_annotations
        RETURNING id, slot, expires_at
        """;

    private static string FreeSlot(string task) => $"""
        SELECT g.slot FROM generate_series(1, {task}.required_annotations) AS g(slot)
        WHERE NOT EXISTS (SELECT 1 FROM assignments AS a WHERE a.task_id = {task}.id AND a.slot = g.slot AND a.state IN (0, 1))
        ORDER BY EXISTS (SELECT 1 FROM assignments AS a WHERE a.task_id = {task}.id AND a.slot = g.slot AND a.state = {Expired}), g.slot
        LIMIT 1
        """;

    // The candidate and its slot in one statement, for the batch that runs without an explicit transaction. Its
    // snapshot may miss a lease committed on the candidate just before the row lock was granted; the unique indexes
    // then refuse the slot, and DO NOTHING turns that into no row (the caller takes the locked way) instead of an
    // error that would roll back the whole batch.
    internal static readonly string TakeCandidate = $"""
        WITH c AS ({Candidate(wait: false, unlessLeased: true)}),
        taken AS (
            INSERT INTO assignments (task_id, annotator_id, slot, state, leased_at, expires_at)
            SELECT c.id, $4, s.slot, {Active}, $5, $6
            FROM c CROSS JOIN LATERAL ({FreeSlot("c")}) AS s
            ON CONFLICT DO NOTHING
            RETURNING id, task_id, slot, expires_at)
        SELECT taken.id, taken.task_id, c.kind, taken.slot, taken.expires_at FROM taken JOIN c ON c.id = taken.task_id
        """;

    /// <summary>
    /// One round trip: takes the annotator's queue lock, reclaims the project's expired leases, and returns either the
    /// annotator's current lease or a locked candidate task of the wanted kind (gold or not); the candidate is looked
    /// for only when there is no current lease.
    /// </summary>
    public static async Task<(Lease? Current, (long Id, TaskKind Kind)? Candidate)> LockAndLookAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, int projectId, string annotatorId, bool gold, DateTimeOffset now, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(LockAnnotator) { Parameters = { new() { Value = annotatorId } } },
                new NpgsqlBatchCommand(ExpireLeases) { Parameters = { new() { Value = projectId }, new() { Value = now } } },
                new NpgsqlBatchCommand(CurrentLease)
                {
                    Parameters = { new() { Value = annotatorId }, new() { Value = now }, new() { Value = projectId } },
                },
                new NpgsqlBatchCommand(Candidate(wait: false, unlessLeased: true))
                {
                    Parameters =
                    {
                        new() { Value = projectId }, new() { Value = gold }, new() { Value = Array.Empty<long>() },
                        new() { Value = annotatorId }, new() { Value = now },
                    },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct); // the lock
        await reader.NextResultAsync(ct); // the reclaimed leases
        var current = await reader.ReadAsync(ct) ? ReadLease(reader, isNew: false) : null;
        await reader.NextResultAsync(ct);
        (long, TaskKind)? candidate = await reader.ReadAsync(ct) ? (reader.GetInt64(0), (TaskKind)reader.GetInt32(1)) : null;
        return (current, candidate);
    }

    /// <summary>
    /// One round trip and no explicit transaction: the statements of a batch sent with one Sync run in one implicit
    /// transaction (PostgreSQL commits it at the Sync, or rolls all of it back on an error), so the annotator's lock is
    /// held from the first statement to the commit. The annotator's current lease, or a new one on a free slot of the
    /// best task of the wanted kind; null when neither was found at once (the pool may be empty, or its first
    /// candidates held by others): the caller then takes the locked way, which waits and tries the other kind.
    /// </summary>
    public static async Task<Lease?> LeaseAtOnceAsync(
        NpgsqlConnection connection, int projectId, string annotatorId, bool gold, DateTimeOffset now, TimeSpan lease, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(LockAnnotator) { Parameters = { new() { Value = annotatorId } } },
                new NpgsqlBatchCommand(ExpireLeases) { Parameters = { new() { Value = projectId }, new() { Value = now } } },
                new NpgsqlBatchCommand(CurrentLease)
                {
                    Parameters = { new() { Value = annotatorId }, new() { Value = now }, new() { Value = projectId } },
                },
                new NpgsqlBatchCommand(TakeCandidate)
                {
                    Parameters =
                    {
                        new() { Value = projectId }, new() { Value = gold }, new() { Value = Array.Empty<long>() },
                        new() { Value = annotatorId }, new() { Value = now }, new() { Value = now + lease },
                    },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct); // the lock
        await reader.NextResultAsync(ct); // the reclaimed leases
        if (await reader.ReadAsync(ct))
            return ReadLease(reader, isNew: false);
        await reader.NextResultAsync(ct);
        return await reader.ReadAsync(ct) ? ReadLease(reader, isNew: true) : null;
    }

    private static Lease ReadLease(NpgsqlDataReader reader, bool isNew) =>
        new(reader.GetInt64(0), reader.GetInt64(1), (TaskKind)reader.GetInt32(2), reader.GetInt32(3), reader.GetFieldValue<DateTimeOffset>(4), isNew);

    /// <summary>A locked candidate task of the wanted kind that is not among <paramref name="tried"/>, or null.</summary>
    public static async Task<(long Id, TaskKind Kind)?> CandidateAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, int projectId, string annotatorId, bool gold, long[] tried, bool wait, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Candidate(wait), connection, tx)
        {
            Parameters = { new() { Value = projectId }, new() { Value = gold }, new() { Value = tried }, new() { Value = annotatorId } },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), (TaskKind)reader.GetInt32(1)) : null;
    }

    /// <summary>A new lease on a free slot of the locked task, or null when it has none left.</summary>
    public static async Task<Lease?> TakeSlotAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, (long Id, TaskKind Kind) task, string annotatorId, DateTimeOffset now, TimeSpan lease, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(TakeSlot, connection, tx)
        {
            Parameters = { new() { Value = task.Id }, new() { Value = annotatorId }, new() { Value = now }, new() { Value = now + lease } },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new Lease(reader.GetInt64(0), task.Id, task.Kind, reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2), IsNew: true)
            : null;
    }
}
