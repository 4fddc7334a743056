using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;

namespace PreferenceStudio.Testing;

/// <summary>How big a seeded project is: tasks, labels spread evenly over them, the annotators who gave them, the overlap.</summary>
public sealed record ScaleSeedSize(int Tasks, long Labels, int Annotators = 20, int Overlap = 12)
{
    /// <summary>Labels on task <paramref name="index"/> (0-based): the total spread as evenly as it goes.</summary>
    public int LabelsOn(long index) => (int)(Labels / Tasks + (index < Labels % Tasks ? 1 : 0));

    /// <summary>Why this size cannot be seeded consistently, or null.</summary>
    public string? Problem()
    {
        if (Tasks < 1) return $"tasks: at least 1, got {Tasks}";
        if (Labels < 0) return $"labels: at least 0, got {Labels}";
        if (Overlap is < 1 or > Project.MaxOverlap) return $"overlap: 1 to {Project.MaxOverlap}, got {Overlap}";
        var most = LabelsOn(0);
        if (most > Overlap) return $"labels: {Labels} over {Tasks} tasks is {most} a task, more than the overlap {Overlap}";
        if (most > Annotators) return $"annotators: {Annotators} cannot give {most} distinct labels to one task";
        return null;
    }
}

/// <summary>What a seed made: the project, its annotators' user ids, the rows written and how long it took.</summary>
public sealed record ScaleSeedResult(int ProjectId, IReadOnlyList<string> Annotators, long Rows, TimeSpan Elapsed)
{
    public double RowsPerSecond => Rows / Elapsed.TotalSeconds;
}

/// <summary>
/// Makes a pairwise project of any size with PostgreSQL's binary COPY, row for row what the app itself stores: one
/// prompt and two responses per task, tasks with their two task_responses, and each label as the submit path leaves
/// it (a submitted assignment in its own slot, the label's annotations row at version 1 and its pairwise_annotations
/// row, the task's completed count). A task whose labels reach the overlap is complete; the rest stay open, so the
/// queue has work. The project, its settings and the users go through EF as the app makes them; the bulk rows take
/// explicit ids after the current maximum, and the identity sequences are moved past them at the end, so the app
/// keeps inserting after a seed. Nothing else may write to these tables while it runs.
/// </summary>
public static class ScaleSeeder
{
    private static readonly DateTimeOffset Epoch = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<ScaleSeedResult> SeedAsync(string connectionString, ScaleSeedSize size, string slug, Action<string>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(size);
        if (size.Problem() is { } problem)
            throw new ArgumentException($"Scale seed of project '{slug}': {problem}.", nameof(size));
        var clock = Stopwatch.StartNew();
        int projectId;
        var annotators = new List<string>();
        await using (var db = TestDatabase.CreateContext(connectionString))
        {
            var project = new Project($"Scale {slug}", slug, FeedbackKinds.Pairwise);
            project.ConfigureAssignment(size.Overlap, TimeSpan.FromMinutes(30), goldRate: 0);
            db.Projects.Add(project);
            await db.SaveChangesAsync(ct);
            projectId = project.Id;
            for (var i = 0; i < size.Annotators; i++)
                annotators.Add((await Seed.UserAsync(db, $"{slug}-annotator{i}@example.org")).Id);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var plan = new SeedPlan(size, projectId, [.. annotators],
            await MaxIdAsync(connection, "prompts", ct), await MaxIdAsync(connection, "responses", ct),
            await MaxIdAsync(connection, "annotation_tasks", ct), await MaxIdAsync(connection, "assignments", ct),
            await MaxIdAsync(connection, "annotations", ct));
        long rows = size.Annotators + 1;
        var tables = plan.Copies().Select(c => c.Table).ToArray();
        // Bulk-load practice: secondary indexes are built once after the rows are in, not row by row (the random
        // idempotency keys alone would cost a page write per label), and foreign keys are not checked row by row
        // where the session may skip them (a superuser's replica role; every reference is consistent by construction,
        // and the unique indexes are checked when they are built again).
        var indexes = await SecondaryIndexesAsync(connection, tables, ct);
        var skipForeignKeys = await IsSuperuserAsync(connection, ct);
        try
        {
            foreach (var (name, _) in indexes)
                await ExecuteAsync(connection, $"DROP INDEX \"{name}\"", ct);
            // Unchecked, the tables no longer wait for each other and load side by side, each on its own connection.
            var written = skipForeignKeys
                ? await Task.WhenAll(plan.Copies().Select(c => CopyAloneAsync(connectionString, c.Table, c.Copy, progress, ct)))
                : [await CopyInTurnAsync(connection, plan, progress, ct)];
            rows += written.Sum();
        }
        finally
        {
            var t0 = Stopwatch.GetTimestamp();
            await RebuildAsync(connectionString, indexes.Select(i => i.Definition), CancellationToken.None);
            progress?.Invoke($"{indexes.Count} secondary indexes rebuilt in {Stopwatch.GetElapsedTime(t0).TotalSeconds:0.0} s");
        }
        foreach (var table in new[] { "prompts", "responses", "annotation_tasks", "assignments", "annotations" })
            await ExecuteAsync(connection, $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))", ct);
        // Fresh statistics, or the planner guesses from an empty table.
        await ExecuteAsync(connection, "ANALYZE prompts, responses, annotation_tasks, task_responses, assignments, annotations, pairwise_annotations", ct);
        return new ScaleSeedResult(projectId, annotators, rows, clock.Elapsed);
    }

    private static async Task<long> CopyAloneAsync(string connectionString, string table, Func<NpgsqlConnection, CancellationToken, Task<long>> copy,
        Action<string>? progress, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, "SET session_replication_role = replica", ct);
        var t0 = Stopwatch.GetTimestamp();
        var written = await copy(connection, ct);
        progress?.Invoke($"{table}: {written:N0} rows in {Stopwatch.GetElapsedTime(t0).TotalSeconds:0.0} s");
        return written;
    }

    private static async Task<long> CopyInTurnAsync(NpgsqlConnection connection, SeedPlan plan, Action<string>? progress, CancellationToken ct)
    {
        long rows = 0;
        foreach (var (table, copy) in plan.Copies())
        {
            var t0 = Stopwatch.GetTimestamp();
            var written = await copy(connection, ct);
            rows += written;
            progress?.Invoke($"{table}: {written:N0} rows in {Stopwatch.GetElapsedTime(t0).TotalSeconds:0.0} s");
        }
        return rows;
    }

    /// <summary>Builds the indexes four at a time, each on its own connection (CREATE INDEX locks allow it).</summary>
    private static async Task RebuildAsync(string connectionString, IEnumerable<string> definitions, CancellationToken ct)
    {
        var pending = new Queue<string>(definitions);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await ExecuteAsync(connection, "SET maintenance_work_mem = '256MB'", ct);
            while (true)
            {
                string definition;
                lock (pending)
                    if (!pending.TryDequeue(out definition!))
                        return;
                await ExecuteAsync(connection, definition, ct);
            }
        }));
    }

    /// <summary>The tables' indexes that back no constraint, with the statement that makes each again.</summary>
    private static async Task<List<(string Name, string Definition)>> SecondaryIndexesAsync(NpgsqlConnection connection, string[] tables, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid JOIN pg_class AS t ON t.oid = x.indrelid
            WHERE t.relname = ANY($1) AND t.relnamespace = current_schema()::regnamespace
              AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = x.indexrelid)
            ORDER BY i.relname
            """, connection) { Parameters = { new() { Value = tables } } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        var result = new List<(string, string)>();
        while (await reader.ReadAsync(ct))
            result.Add((reader.GetString(0), reader.GetString(1)));
        return result;
    }

    private static async Task<bool> IsSuperuserAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", connection);
        return await command.ExecuteScalarAsync(ct) is true;
    }

    private static async Task<long> MaxIdAsync(NpgsqlConnection connection, string table, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT coalesce(max(id), 0)::bigint FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The rows of one seed, derived from the task index alone so each table can be streamed in turn.</summary>
    private sealed class SeedPlan(ScaleSeedSize size, int projectId, string[] annotators, long promptBase, long responseBase, long taskBase, long assignmentBase, long labelBase)
    {
        private const int Submitted = (int)AssignmentState.Submitted;

        public IEnumerable<(string Table, Func<NpgsqlConnection, CancellationToken, Task<long>> Copy)> Copies() =>
        [
            ("prompts", CopyPromptsAsync),
            ("responses", CopyResponsesAsync),
            ("annotation_tasks", CopyTasksAsync),
            ("task_responses", CopyTaskResponsesAsync),
            ("assignments", CopyAssignmentsAsync),
            ("annotations", CopyLabelsAsync),
            ("pairwise_annotations", CopyPairwiseAsync),
        ];

        private static DateTimeOffset TaskCreated(long i) => Epoch.AddMilliseconds(i);

        private static DateTimeOffset LabelledAt(long label) => Epoch.AddDays(7).AddMilliseconds(label * 100);

        private static long TimeSpentMs(long label) => 2_000 + label * 7919 % 60_000;

        // A cheap, fixed spread of answers: every preference and strength, some both-bad, both shown orders.
        private static int Preference(long label) => (int)(label * 2654435761 % 5) - 2;

        private static bool BothBad(long label) => label * 40503 % 20 == 0;

        private static bool ShownSwapped(long label) => label * 7 % 2 == 1;

        private int PromptId(long i) => checked((int)(promptBase + i + 1));

        private int ResponseId(long i, int which) => checked((int)(responseBase + 2 * i + which + 1));

        private long TaskId(long i) => taskBase + i + 1;

        // Labels are numbered task after task, so a task's labels and assignments have consecutive ids.
        private IEnumerable<(long Task, int Slot, long Label)> Labels()
        {
            long label = 0;
            for (long i = 0; i < size.Tasks; i++)
                for (var slot = 1; slot <= size.LabelsOn(i); slot++)
                    yield return (i, slot, label++);
        }

        private string Annotator(long task, int slot) => annotators[(task + slot - 1) % annotators.Length];

        private async Task<long> CopyPromptsAsync(NpgsqlConnection c, CancellationToken ct)
        {
            await using var copy = await c.BeginBinaryImportAsync(
                "COPY prompts (id, project_id, external_id, metadata, created_at, conversation) FROM STDIN (FORMAT BINARY)", ct);
            for (long i = 0; i < size.Tasks; i++)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(PromptId(i), NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(projectId, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync($"scale-{i}", NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync("{}", NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync(TaskCreated(i), NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync($$"""[{"Role": "user", "Content": "Question {{i}}: which answer is better?"}]""", NpgsqlDbType.Jsonb, ct);
            }
            return (long)await copy.CompleteAsync(ct);
        }

        private async Task<long> CopyResponsesAsync(NpgsqlConnection c, CancellationToken ct)
        {
            await using var copy = await c.BeginBinaryImportAsync(
                "COPY responses (id, prompt_id, text, source, model_version_id, metadata, created_at) FROM STDIN (FORMAT BINARY)", ct);
            for (long i = 0; i < size.Tasks; i++)
                for (var which = 0; which < 2; which++)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(ResponseId(i, which), NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(PromptId(i), NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync($"Answer {(which == 0 ? 'A' : 'B')} to question {i}.", NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(which == 0 ? "model-a" : "model-b", NpgsqlDbType.Varchar, ct);
                    await copy.WriteNullAsync(ct);
                    await copy.WriteAsync("{}", NpgsqlDbType.Jsonb, ct);
                    await copy.WriteAsync(TaskCreated(i), NpgsqlDbType.TimestampTz, ct);
                }
            return (long)await copy.CompleteAsync(ct);
        }

        private async Task<long> CopyTasksAsync(NpgsqlConnection c, CancellationToken ct)
        {
            await using var copy = await c.BeginBinaryImportAsync(
                "COPY annotation_tasks (id, project_id, prompt_id, kind, state, priority, required_annotations, completed_annotations, is_gold, gold_answer, created_at) " +
                "FROM STDIN (FORMAT BINARY)", ct);
            for (long i = 0; i < size.Tasks; i++)
            {
                var labels = size.LabelsOn(i);
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(TaskId(i), NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(projectId, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(PromptId(i), NpgsqlDbType.Integer, ct);
                await copy.WriteAsync((int)TaskKind.Pairwise, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync((int)(labels >= size.Overlap ? TaskState.Complete : TaskState.Open), NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(0, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(size.Overlap, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(labels, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                await copy.WriteNullAsync(ct);
                await copy.WriteAsync(TaskCreated(i), NpgsqlDbType.TimestampTz, ct);
            }
            return (long)await copy.CompleteAsync(ct);
        }

        private async Task<long> CopyTaskResponsesAsync(NpgsqlConnection c, CancellationToken ct)
        {
            await using var copy = await c.BeginBinaryImportAsync("COPY task_responses (task_id, response_id, position) FROM STDIN (FORMAT BINARY)", ct);
            for (long i = 0; i < size.Tasks; i++)
                for (var which = 0; which < 2; which++)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(TaskId(i), NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(ResponseId(i, which), NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(which, NpgsqlDbType.Integer, ct);
                }
            return (long)await copy.CompleteAsync(ct);
        }

        private async Task<long> CopyAssignmentsAsync(NpgsqlConnection c, CancellationToken ct)
        {
            await using var copy = await c.BeginBinaryImportAsync(
                "COPY assignments (id, task_id, annotator_id, slot, state, leased_at, expires_at, closed_at, skip_reason) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var (task, slot, label) in Labels())
            {
                var closed = LabelledAt(label);
                var leased = closed.AddMilliseconds(-TimeSpentMs(label));
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(assignmentBase + label + 1, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(TaskId(task), NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(Annotator(task, slot), NpgsqlDbType.Text, ct);
                await copy.WriteAsync(slot, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(Submitted, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(leased, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(leased.AddMinutes(30), NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(closed, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteNullAsync(ct);
            }
            return (long)await copy.CompleteAsync(ct);
        }

        private async Task<long> CopyLabelsAsync(NpgsqlConnection c, CancellationToken ct)
        {
            await using var copy = await c.BeginBinaryImportAsync(
                "COPY annotations (id, kind, task_id, annotator_id, assignment_id, idempotency_key, version, previous_version_id, superseded_at, " +
                "created_at, time_spent_ms, shown_order, rationale) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var (task, slot, label) in Labels())
            {
                var (a, b) = (ResponseId(task, 0), ResponseId(task, 1));
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(labelBase + label + 1, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync((int)TaskKind.Pairwise, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(TaskId(task), NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(Annotator(task, slot), NpgsqlDbType.Text, ct);
                await copy.WriteAsync(assignmentBase + label + 1, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(1, NpgsqlDbType.Integer, ct);
                await copy.WriteNullAsync(ct);
                await copy.WriteNullAsync(ct);
                await copy.WriteAsync(LabelledAt(label), NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(TimeSpentMs(label), NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(ShownSwapped(label) ? new[] { b, a } : new[] { a, b }, NpgsqlDbType.Array | NpgsqlDbType.Integer, ct);
                await copy.WriteNullAsync(ct);
            }
            return (long)await copy.CompleteAsync(ct);
        }

        private async Task<long> CopyPairwiseAsync(NpgsqlConnection c, CancellationToken ct)
        {
            await using var copy = await c.BeginBinaryImportAsync(
                "COPY pairwise_annotations (id, response_a_id, response_b_id, preference, both_bad) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var (task, _, label) in Labels())
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(labelBase + label + 1, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(ResponseId(task, 0), NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(ResponseId(task, 1), NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(Preference(label), NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(BothBad(label), NpgsqlDbType.Boolean, ct);
            }
            return (long)await copy.CompleteAsync(ct);
        }
    }
}
