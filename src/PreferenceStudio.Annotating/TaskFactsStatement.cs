using Npgsql;
using PreferenceStudio.Core.Tasks;

namespace PreferenceStudio.Annotating;

/// <summary>
/// What validating an answer needs, read in one statement (it took four queries before): the task's response texts,
/// and its project's principles, span labels and tie rule.
/// </summary>
internal static class TaskFactsStatement
{
    private const string Sql = """
        SELECT p.allow_ranking_ties,
               ARRAY(SELECT x.id FROM principles AS x WHERE x.project_id = p.id),
               ARRAY(SELECT x.id FROM span_labels AS x WHERE x.project_id = p.id),
               ARRAY(SELECT r.id FROM responses AS r WHERE r.id = ANY($2) ORDER BY r.id),
               ARRAY(SELECT r.text FROM responses AS r WHERE r.id = ANY($2) ORDER BY r.id)
        FROM projects AS p
        WHERE p.id = $1
        """;

    public static async Task<TaskFacts> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction tx, AnnotationTask task, CancellationToken ct)
    {
        var responseIds = task.Responses.OrderBy(r => r.Position).Select(r => r.ResponseId).ToList();
        await using var command = new NpgsqlCommand(Sql, connection, tx)
        {
            Parameters = { new() { Value = task.ProjectId }, new() { Value = responseIds.ToArray() } },
        };
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            throw new InvalidOperationException($"Project {task.ProjectId} of task {task.Id} is gone.");
        var ids = reader.GetFieldValue<int[]>(3);
        var texts = reader.GetFieldValue<string[]>(4);
        return new TaskFacts(task.Id, task.Kind, responseIds,
            ids.Zip(texts).ToDictionary(x => x.First, x => x.Second),
            reader.GetFieldValue<int[]>(1).ToHashSet(), reader.GetFieldValue<int[]>(2).ToHashSet(), reader.GetBoolean(0));
    }
}
