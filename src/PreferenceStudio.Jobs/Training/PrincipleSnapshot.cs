using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Export;
using PreferenceStudio.Training.Principles;

namespace PreferenceStudio.Jobs.Training;

/// <summary>
/// What a principle run's snapshot read: the example counts and the project's principles (key and text, in the
/// project's order) as they were when it was taken; the trained model keeps them (<see cref="PrincipleSet"/>).
/// </summary>
public sealed record PrincipleSnapshotCounts(PrincipleExampleCounts Counts, IReadOnlyList<PrincipleDefinition> Principles)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public static PrincipleSnapshotCounts FromJson(string json) =>
        JsonSerializer.Deserialize<PrincipleSnapshotCounts>(json) ?? throw new FormatException("principle snapshot counts: the JSON is null");
}

/// <summary>
/// A principle run's dataset.jsonl: one row per (response, principle) with its majority verdict
/// (<see cref="PrincipleExampleSource"/>; "not applicable" and splits are left out and counted), the principle's key
/// and text, and the votes behind it.
/// </summary>
public static class PrincipleSnapshot
{
    public static async Task<PrincipleSnapshotCounts> WriteAsync(PreferenceStudioDbContext db, int projectId, DatasetWriter writer, CancellationToken cancellationToken)
    {
        var principles = await db.Principles.AsNoTracking().Where(p => p.ProjectId == projectId).OrderBy(p => p.Order).ThenBy(p => p.Id)
            .Select(p => new PrincipleDefinition(p.Key, p.Text)).ToListAsync(cancellationToken);
        var set = await new PrincipleExampleSource(db).ReadAsync(projectId, cancellationToken);
        foreach (var example in set.Examples)
            await writer.WriteRowAsync(json =>
            {
                DatasetWriter.WriteMessages(json, "prompt", example.Prompt);
                json.WriteString("response", example.Response);
                json.WriteString("principle_key", example.PrincipleKey);
                json.WriteString("principle", example.PrincipleText);
                json.WriteBoolean("satisfied", example.Satisfied);
                json.WriteNumber("yes_votes", example.YesVotes);
                json.WriteNumber("no_votes", example.NoVotes);
                json.WriteNumber("prompt_id", example.PromptId);
                json.WriteNumber("response_id", example.ResponseId);
                json.WriteString("labelled_at", example.LabelledAt);
            }, cancellationToken);
        return new PrincipleSnapshotCounts(set.Counts, principles);
    }

    /// <summary>The rows of a snapshot, in file order; a row that is not one names its line.</summary>
    public static List<LabelledPrincipleExample> Read(string datasetFile)
    {
        var rows = new List<LabelledPrincipleExample>();
        var line = 0;
        foreach (var text in File.ReadLines(datasetFile))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
                continue;
            try
            {
                using var json = JsonDocument.Parse(text);
                var row = json.RootElement;
                var prompt = row.GetProperty("prompt").EnumerateArray()
                    .Select(m => new ChatTurn(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)).ToList();
                rows.Add(new LabelledPrincipleExample(row.GetProperty("prompt_id").GetInt32(), prompt, row.GetProperty("response_id").GetInt32(),
                    row.GetProperty("response").GetString()!, row.GetProperty("principle_key").GetString()!, row.GetProperty("principle").GetString()!,
                    row.GetProperty("satisfied").GetBoolean(), row.GetProperty("yes_votes").GetInt32(), row.GetProperty("no_votes").GetInt32(),
                    [], [], row.GetProperty("labelled_at").GetDateTimeOffset()));
            }
            catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{datasetFile}, line {line}: not a principle example ({error.Message})", error);
            }
        }
        return rows;
    }
}
