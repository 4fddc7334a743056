using Npgsql;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;

namespace PreferenceStudio.Annotating;

/// <summary>What a submit found before deciding: the assignment, a label already stored under its key, the task's facts.</summary>
internal sealed record SubmitLookup(
    long? TaskId,
    AssignmentState AssignmentState,
    DateTimeOffset ExpiresAt,
    TaskState TaskState,
    StoredLabel? Stored,
    TaskFacts? Facts);

/// <summary>A label found by its idempotency key.</summary>
internal sealed record StoredLabel(long Id, long TaskId, int Version);

/// <summary>
/// The submit of a label on an active lease in two statements and no explicit transaction: one reads everything the
/// decision and the validation need, without locks; one stores the label, closes the assignment and counts it on the
/// task, under a guard that locks both rows and re-checks what was read (PostgreSQL runs a statement atomically, so
/// either all of it is stored or none). The texts of the responses are read only for span tasks, whose offsets are
/// checked against them.
/// </summary>
internal static class SubmitStatements
{
    private const int Active = (int)AssignmentState.Active;
    private const int Submitted = (int)AssignmentState.Submitted;
    private const int Open = (int)TaskState.Open;
    private const int Complete = (int)TaskState.Complete;

    private static readonly string Lookup = $"""
        SELECT a.task_id, a.state, a.expires_at, t.state, k.id, k.task_id, k.version, {TaskFactsStatement.Columns}
        FROM (VALUES (1)) AS one(x)
        LEFT JOIN assignments AS a ON a.id = $1 AND a.annotator_id = $2
        LEFT JOIN annotation_tasks AS t ON t.id = a.task_id
        LEFT JOIN projects AS p ON p.id = t.project_id
        LEFT JOIN annotations AS k ON k.annotator_id = $2 AND k.idempotency_key = $3
        """;

    public static async Task<SubmitLookup> LookupAsync(NpgsqlConnection connection, long assignmentId, string annotatorId, Guid key, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Lookup, connection)
        {
            Parameters = { new() { Value = assignmentId }, new() { Value = annotatorId }, new() { Value = key } },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var stored = reader.IsDBNull(4) ? null : new StoredLabel(reader.GetInt64(4), reader.GetInt64(5), reader.GetInt32(6));
        if (reader.IsDBNull(0))
            return new SubmitLookup(null, default, default, default, stored, null);
        return new SubmitLookup(reader.GetInt64(0), (AssignmentState)reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2),
            (TaskState)reader.GetInt32(3), stored, TaskFactsStatement.Read(reader, first: 7));
    }

    // $1 assignment, $2 annotator, $3 now, $4 kind, $5 idempotency key, $6 time spent (ms), $7 shown order,
    // $8 rationale; each kind's answer from $9. The guard locks the assignment and then the task (the order the locked
    // path uses) and re-checks, on their newest versions, that the lease is live and the task open.
    private static readonly string Store = $"""
        WITH claim AS (
            SELECT a.id, a.task_id FROM assignments AS a JOIN annotation_tasks AS t ON t.id = a.task_id
            WHERE a.id = $1 AND a.annotator_id = $2 AND a.state = {Active} AND a.expires_at > $3 AND t.state = {Open}
            FOR UPDATE OF a, t),
        closed AS (
            UPDATE assignments AS a SET state = {Submitted}, closed_at = $3 FROM claim WHERE a.id = claim.id),
        counted AS (
            UPDATE annotation_tasks AS t SET completed_annotations = t.completed_annotations + 1,
                state = CASE WHEN t.completed_annotations + 1 >= t.required_annotations THEN {Complete} ELSE t.state END
            FROM claim WHERE t.id = claim.task_id),
        label AS (
            INSERT INTO annotations (kind, task_id, annotator_id, assignment_id, idempotency_key, version, created_at, time_spent_ms, shown_order, rationale)
            SELECT $4, claim.task_id, $2, claim.id, $5, 1, $3, $6, $7, $8 FROM claim
            RETURNING id)
        """;

    private static readonly string StorePairwise = Store + """
        , answer AS (
            INSERT INTO pairwise_annotations (id, response_a_id, response_b_id, preference, both_bad)
            SELECT id, $9, $10, $11, $12 FROM label)
        SELECT id FROM label
        """;

    private static readonly string StoreRanking = Store + """
        , answer AS (INSERT INTO ranking_annotations (id) SELECT id FROM label),
        entries AS (
            INSERT INTO ranking_entries (annotation_id, response_id, rank)
            SELECT label.id, e.response_id, e.rank FROM label, unnest($9::int[], $10::int[]) AS e(response_id, rank))
        SELECT id FROM label
        """;

    private static readonly string StoreSpan = Store + """
        , answer AS (INSERT INTO span_annotations (id) SELECT id FROM label),
        spans AS (
            INSERT INTO annotation_spans (annotation_id, response_id, start_offset, end_offset, label_id, severity, comment)
            SELECT label.id, s.response_id, s.start_offset, s.end_offset, s.label_id, s.severity, s.comment
            FROM label, unnest($9::int[], $10::int[], $11::int[], $12::int[], $13::int[], $14::text[])
                AS s(response_id, start_offset, end_offset, label_id, severity, comment)),
        flags AS (
            INSERT INTO response_flags (annotation_id, response_id, flag)
            SELECT label.id, f.response_id, f.flag FROM label, unnest($15::int[], $16::text[]) AS f(response_id, flag))
        SELECT id FROM label
        """;

    private static readonly string StorePrinciple = Store + """
        , answer AS (INSERT INTO principle_annotations (id) SELECT id FROM label),
        verdicts AS (
            INSERT INTO principle_verdicts (annotation_id, response_id, principle_id, verdict, evidence)
            SELECT label.id, v.response_id, v.principle_id, v.verdict, v.evidence
            FROM label, unnest($9::int[], $10::int[], $11::int[], $12::text[]) AS v(response_id, principle_id, verdict, evidence))
        SELECT id FROM label
        """;

    /// <summary>The new label's id, or null when the lease or the task changed since the lookup (nothing was written).</summary>
    public static async Task<long?> StoreAsync(NpgsqlConnection connection, long assignmentId, Core.Annotations.Annotation label, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(StoreSql(label), connection);
        command.Parameters.Add(new() { Value = assignmentId });
        command.Parameters.Add(new() { Value = label.AnnotatorId });
        command.Parameters.Add(new() { Value = label.CreatedAt });
        command.Parameters.Add(new() { Value = (int)label.Kind });
        command.Parameters.Add(new() { Value = label.IdempotencyKey });
        command.Parameters.Add(new() { Value = label.TimeSpentMs });
        command.Parameters.Add(new() { Value = label.ShownOrder });
        command.Parameters.Add(new() { Value = (object?)label.Rationale ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        foreach (var value in AnswerValues(label))
            command.Parameters.Add(new() { Value = value });
        return await command.ExecuteScalarAsync(ct) is long id ? id : null;
    }

    private static string StoreSql(Core.Annotations.Annotation label) => label switch
    {
        Core.Annotations.PairwiseAnnotation => StorePairwise,
        Core.Annotations.RankingAnnotation => StoreRanking,
        Core.Annotations.SpanAnnotation => StoreSpan,
        Core.Annotations.PrincipleAnnotation => StorePrinciple,
        _ => throw new ArgumentOutOfRangeException(nameof(label), label.GetType().Name, "No statement stores this kind of label."),
    };

    private static object[] AnswerValues(Core.Annotations.Annotation label) => label switch
    {
        Core.Annotations.PairwiseAnnotation p => [p.ResponseAId, p.ResponseBId, (int)p.Preference, p.BothBad],
        Core.Annotations.RankingAnnotation r => [r.Entries.Select(e => e.ResponseId).ToArray(), r.Entries.Select(e => e.Rank).ToArray()],
        Core.Annotations.SpanAnnotation s =>
        [
            s.Spans.Select(x => x.ResponseId).ToArray(), s.Spans.Select(x => x.Start).ToArray(), s.Spans.Select(x => x.End).ToArray(),
            s.Spans.Select(x => x.LabelId).ToArray(), s.Spans.Select(x => (int?)x.Severity).ToArray(), s.Spans.Select(x => x.Comment).ToArray(),
            s.Flags.Select(x => x.ResponseId).ToArray(), s.Flags.Select(x => x.Flag).ToArray(),
        ],
        Core.Annotations.PrincipleAnnotation v =>
        [
            v.Verdicts.Select(x => x.ResponseId).ToArray(), v.Verdicts.Select(x => x.PrincipleId).ToArray(),
            v.Verdicts.Select(x => (int)x.Verdict).ToArray(), v.Verdicts.Select(x => x.Evidence).ToArray(),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(label), label.GetType().Name, "No statement stores this kind of label."),
    };
}
