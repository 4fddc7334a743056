using Npgsql;
using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Annotating;

/// <summary>
/// What validating an answer needs, read in one statement: the task's responses in the order the task holds them (their
/// texts only for span tasks, whose offsets are checked against them), and its project's principles, span labels and
/// tie rule. <see cref="Columns"/> also serves the submit's lookup, which reads them beside the assignment.
/// </summary>
internal static class TaskFactsStatement
{
    /// <summary>The facts as columns over a task row <c>t</c> and its project's row <c>p</c>.</summary>
    public static readonly string Columns = $"""
        t.id, t.kind, p.allow_ranking_ties,
        ARRAY(SELECT x.id FROM principles AS x WHERE x.project_id = p.id),
        ARRAY(SELECT x.id FROM span_labels AS x WHERE x.project_id = p.id),
        ARRAY(SELECT tr.response_id FROM task_responses AS tr WHERE tr.task_id = t.id ORDER BY tr.position),
        ARRAY(SELECT r.text FROM task_responses AS tr JOIN responses AS r ON r.id = tr.response_id
              WHERE tr.task_id = t.id AND t.kind = {(int)TaskKind.Span} ORDER BY tr.position)
        """;

    private static readonly string ByTask = $"""
        SELECT {Columns}
        FROM annotation_tasks AS t JOIN projects AS p ON p.id = t.project_id
        WHERE t.id = $1
        """;

    public static async Task<TaskFacts> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long taskId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(ByTask, connection, tx) { Parameters = { new() { Value = taskId } } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            throw new InvalidOperationException($"Task {taskId} or its project is gone.");
        return Read(reader, first: 0);
    }

    /// <summary>The facts from <see cref="Columns"/>, which start at column <paramref name="first"/> of the current row.</summary>
    public static TaskFacts Read(NpgsqlDataReader reader, int first)
    {
        var responseIds = reader.GetFieldValue<int[]>(first + 5);
        var texts = reader.GetFieldValue<string[]>(first + 6);
        return new TaskFacts(reader.GetInt64(first), (TaskKind)reader.GetInt32(first + 1), responseIds,
            responseIds.Zip(texts).ToDictionary(x => x.First, x => x.Second),
            reader.GetFieldValue<int[]>(first + 3).ToHashSet(), reader.GetFieldValue<int[]>(first + 4).ToHashSet(), reader.GetBoolean(first + 2));
    }
}
