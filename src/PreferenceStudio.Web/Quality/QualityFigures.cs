using System.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PreferenceStudio.Core.Quality;
using PreferenceStudio.Data;

namespace PreferenceStudio.Web.Quality;

/// <summary>
/// Computes a project's quality figures in PostgreSQL: the labels never leave the database, only their aggregates do
/// (units grouped by the values they were given, a row per annotator, a row per day). Every statement runs in one
/// REPEATABLE READ transaction, so all the figures describe the same moment, <see cref="QualityComputation.AsOf"/>.
/// The numbers are those of labels loaded and counted one by one (QualityFiguresTests holds them to that).
/// </summary>
public static class QualityFigures
{
    public const int Days = 30;

    // A project's current labels; $1 is the project id.
    private const string Current = """
        FROM annotations a JOIN annotation_tasks t ON t.id = a.task_id
        WHERE t.project_id = $1 AND a.superseded_at IS NULL
        """;

    // The pairwise preference on one orientation per task: negative favours the response with the lower id.
    private const string Canonical = "CASE WHEN p.response_a_id < p.response_b_id THEN p.preference ELSE -p.preference END";

    /// <summary>
    /// Pairwise units are tasks: how many of each canonical preference (-2 to 2, the column's check) each task got,
    /// and how many tasks got exactly those. Counting into five columns by a hash on the task, not sorting the
    /// labels into arrays, halves the statement at a million tasks.
    /// </summary>
    private static readonly string PairwiseUnits = $"""
        SELECT u.m2, u.m1, u.z, u.p1, u.p2, count(*) FROM (
            SELECT count(*) FILTER (WHERE c.v = -2) AS m2, count(*) FILTER (WHERE c.v = -1) AS m1, count(*) FILTER (WHERE c.v = 0) AS z,
                   count(*) FILTER (WHERE c.v = 1) AS p1, count(*) FILTER (WHERE c.v = 2) AS p2
            FROM (
                SELECT a.task_id, {Canonical} AS v
                {Current.Replace("WHERE", "JOIN pairwise_annotations p ON p.id = a.id WHERE")}) c
            GROUP BY c.task_id) u
        GROUP BY 1, 2, 3, 4, 5
        """;

    /// <summary>Ranking units are a task's responses, valued by their ranks.</summary>
    private static readonly string RankingUnits = $"""
        SELECT u.vals, count(*) FROM (
            SELECT array_agg(e.rank ORDER BY e.rank) AS vals
            {Current.Replace("WHERE", "JOIN ranking_entries e ON e.annotation_id = a.id WHERE")}
            GROUP BY a.task_id, e.response_id) u
        GROUP BY u.vals
        """;

    /// <summary>Principle units are (task, response, principle), valued yes or no; "not applicable" is no value.</summary>
    private static readonly string PrincipleUnits = $"""
        SELECT u.vals, count(*) FROM (
            SELECT array_agg(v.verdict ORDER BY v.verdict) AS vals
            {Current.Replace("WHERE", "JOIN principle_verdicts v ON v.annotation_id = a.id WHERE")} AND v.verdict <> 2
            GROUP BY a.task_id, v.response_id, v.principle_id) u
        GROUP BY u.vals
        """;

    /// <summary>
    /// Per annotator over every other annotator of the same pairwise task (one current label each): pairs compared
    /// (the task's labels but their own) and agreed (the others who picked the same side, or a tie as they did).
    /// </summary>
    private static readonly string PairwiseAgreement = $"""
        SELECT x.annotator_id, sum(x.m - 1), sum(x.same - 1) FROM (
            SELECT a.annotator_id, count(*) OVER (PARTITION BY a.task_id) AS m,
                   count(*) OVER (PARTITION BY a.task_id, sign({Canonical})) AS same
            {Current.Replace("WHERE", "JOIN pairwise_annotations p ON p.id = a.id WHERE")}) x
        WHERE x.m >= 2
        GROUP BY x.annotator_id
        """;

    /// <summary>
    /// Per annotator: labels of each kind and the two middle times spent (equal when the count is odd), for the
    /// median as the page has always taken it, the mean of the two middle values in seconds.
    /// </summary>
    /// <remarks>
    /// OFFSET 0 keeps the labels' join planned on its own: without it PostgreSQL read a million-task project's labels
    /// in annotator order through the idempotency index, 10M random heap reads (67 s), to save one sort (14 s).
    /// </remarks>
    private static readonly string Annotators = $"""
        SELECT c.annotator_id,
               count(*) FILTER (WHERE c.kind = 1), count(*) FILTER (WHERE c.kind = 2),
               count(*) FILTER (WHERE c.kind = 4), count(*) FILTER (WHERE c.kind = 8),
               percentile_disc(0.5) WITHIN GROUP (ORDER BY c.time_spent_ms),
               percentile_disc(0.5000000001) WITHIN GROUP (ORDER BY c.time_spent_ms)
        FROM (SELECT a.annotator_id, a.kind, a.time_spent_ms {Current} OFFSET 0) c
        GROUP BY c.annotator_id
        """;

    /// <summary>Labels per UTC day from $2 on.</summary>
    private static readonly string PerDay = $"""
        SELECT (a.created_at AT TIME ZONE 'UTC')::date, count(*)
        {Current} AND a.created_at >= $2
        GROUP BY 1
        """;

    public static async Task<QualityComputation> ComputeAsync(PreferenceStudioDbContext db, int projectId, DateOnly today, CancellationToken ct,
        ILogger? log = null)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            // The sorts behind the per-task values and the medians spill to disk at the default 4 MB; this is one
            // session's, for one transaction.
            await ScalarAsync<string>(connection, tx, "SELECT set_config('work_mem', '64MB', true)", ct);
            var asOf = await ScalarAsync<DateTime>(connection, tx, "SELECT now()", ct);
            var pairwise = new List<UnitValues>();
            await ReadAsync(log, connection, tx, PairwiseUnits, [projectId], r => pairwise.Add(new UnitValues(
                Enumerable.Range(0, 5).SelectMany(i => Enumerable.Repeat(i - 2.0, checked((int)r.GetInt64(i)))).ToList(), r.GetInt64(5))), ct);
            var rankings = await UnitsAsync(log, connection, tx, RankingUnits, projectId, ct);
            var principles = await UnitsAsync(log, connection, tx, PrincipleUnits, projectId, ct);
            var agreement = new Dictionary<string, (long Compared, long Agreed)>();
            await ReadAsync(log, connection, tx, PairwiseAgreement, [projectId], r => agreement[r.GetString(0)] = (r.GetInt64(1), r.GetInt64(2)), ct);
            var annotators = new List<(string Id, long[] ByKind, long Lower, long Upper)>();
            await ReadAsync(log, connection, tx, Annotators, [projectId], r => annotators.Add(
                (r.GetString(0), [r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)], r.GetInt64(5), r.GetInt64(6))), ct);
            var from = today.AddDays(1 - Days);
            var perDay = new Dictionary<DateOnly, int>();
            await ReadAsync(log, connection, tx, PerDay, [projectId, new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)],
                r => perDay[r.GetFieldValue<DateOnly>(0)] = checked((int)r.GetInt64(1)), ct);
            await tx.CommitAsync(ct);

            var ids = annotators.Select(a => a.Id).ToList();
            var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
                .ToDictionaryAsync(u => u.Id, u => u.Email ?? u.UserName ?? u.Id, ct);
            var kinds = new List<KindAgreement>
            {
                Agreement("Pairwise", Labels(annotators, 0), pairwise, AlphaMetric.Interval, "five-point preference, turned to one orientation per task"),
                Agreement("Ranking", Labels(annotators, 1), rankings, AlphaMetric.Interval, "rank of each response"),
                Agreement("Principle", Labels(annotators, 3), principles, AlphaMetric.Nominal, "yes / no per response and principle"),
            };
            var rows = annotators
                .Select(a =>
                {
                    var (compared, agreed) = agreement.GetValueOrDefault(a.Id);
                    var count = (int)a.ByKind.Sum();
                    var median = count % 2 == 1 ? a.Lower / 1000.0 : (a.Lower / 1000.0 + a.Upper / 1000.0) / 2;
                    return new AnnotatorQuality(names.GetValueOrDefault(a.Id, a.Id), count, median,
                        checked((int)compared), compared == 0 ? null : (double)agreed / compared);
                })
                .OrderByDescending(a => a.Labels).ThenBy(a => a.Name, StringComparer.Ordinal).ToList();
            var days = Enumerable.Range(0, Days).Select(i => from.AddDays(i)).Select(day => new DailyCount(day, perDay.GetValueOrDefault(day))).ToList();
            var byKind = new List<KindLabels>
            {
                new("Pairwise", Labels(annotators, 0)), new("Ranking", Labels(annotators, 1)),
                new("Span", Labels(annotators, 2)), new("Principle", Labels(annotators, 3)),
            };
            return new QualityComputation(new ProjectQuality(kinds, rows, days, byKind), new DateTimeOffset(asOf, TimeSpan.Zero));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static int Labels(List<(string Id, long[] ByKind, long Lower, long Upper)> annotators, int kind) =>
        checked((int)annotators.Sum(a => a.ByKind[kind]));

    private static KindAgreement Agreement(string kind, int labels, List<UnitValues> units, AlphaMetric metric, string what) =>
        new(kind, labels, checked((int)units.Where(u => u.Values.Count >= 2).Sum(u => u.Units)), KrippendorffAlpha.Compute(units, metric), metric, what);

    private static async Task<List<UnitValues>> UnitsAsync(ILogger? log, NpgsqlConnection connection, NpgsqlTransaction tx, string sql, int projectId, CancellationToken ct)
    {
        var units = new List<UnitValues>();
        await ReadAsync(log, connection, tx, sql, [projectId],
            r => units.Add(new UnitValues(r.GetFieldValue<int[]>(0).Select(v => (double)v).ToList(), r.GetInt64(1))), ct);
        return units;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task ReadAsync(ILogger? log, NpgsqlConnection connection, NpgsqlTransaction tx, string sql, object[] parameters,
        Action<NpgsqlDataReader> row, CancellationToken ct)
    {
        var timer = System.Diagnostics.Stopwatch.StartNew();
        await using var command = new NpgsqlCommand(sql, connection, tx);
        foreach (var value in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                row(reader);
        // Which statement a slow refresh spends its time in (a million tasks: tens of seconds each).
        log?.LogDebug("Quality statement took {Ms} ms: {Statement}", timer.ElapsedMilliseconds, sql.Split('\n', 2)[0].Trim());
    }
}

/// <summary>Figures and the moment they describe.</summary>
public sealed record QualityComputation(ProjectQuality Figures, DateTimeOffset AsOf);
