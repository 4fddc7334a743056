using System.Text.Json;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Export;
using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.Jobs.Training;

/// <summary>
/// What a span run's snapshot read: the span counts and the taxonomy (the project's span labels' keys in the
/// project's order) as they were when it was taken, so a recovered run tags tokens with the same classes.
/// </summary>
public sealed record SpanSnapshotCounts(SpanCounts Counts, IReadOnlyList<string> Categories)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public static SpanSnapshotCounts FromJson(string json) =>
        JsonSerializer.Deserialize<SpanSnapshotCounts>(json) ?? throw new FormatException("span snapshot counts: the JSON is null");
}

/// <summary>
/// A span run's dataset.jsonl: one row per labelled response and annotator (<see cref="SpanExampleSource"/>), with
/// the prompt's messages, the response's text and its spans (UTF-16 offsets, category key, severity 0–3), in the
/// order the source reads them.
/// </summary>
public static class SpanSnapshot
{
    public static async Task<SpanSnapshotCounts> WriteAsync(PreferenceStudioDbContext db, int projectId, DatasetWriter writer, CancellationToken cancellationToken)
    {
        var source = new SpanExampleSource(db);
        var categories = await source.CategoriesAsync(projectId, cancellationToken);
        await foreach (var example in source.ReadAsync(projectId, cancellationToken))
            await writer.WriteRowAsync(json =>
            {
                DatasetWriter.WriteMessages(json, "prompt", example.Prompt);
                json.WriteString("response", example.Response);
                json.WriteStartArray("spans");
                foreach (var span in example.Spans)
                {
                    json.WriteStartObject();
                    json.WriteNumber("start", span.Start);
                    json.WriteNumber("end", span.End);
                    json.WriteString("label", span.Category);
                    json.WriteNumber("severity", span.Severity);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteNumber("label_id", example.LabelId);
                json.WriteNumber("prompt_id", example.PromptId);
                json.WriteNumber("response_id", example.ResponseId);
                json.WriteNumber("task_id", example.TaskId);
                json.WriteString("annotator", example.Annotator);
                json.WriteString("labelled_at", example.LabelledAt);
            }, cancellationToken);
        return new SpanSnapshotCounts(source.Counts, categories);
    }

    /// <summary>The rows of a snapshot, in file order; a row that is not one names its line.</summary>
    public static List<LabelledSpans> Read(string datasetFile)
    {
        var rows = new List<LabelledSpans>();
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
                var spans = row.GetProperty("spans").EnumerateArray()
                    .Select(s => new TextSpan(s.GetProperty("start").GetInt32(), s.GetProperty("end").GetInt32(), s.GetProperty("label").GetString()!,
                        s.GetProperty("severity").GetInt32())).ToList();
                rows.Add(new LabelledSpans(row.GetProperty("label_id").GetInt64(), row.GetProperty("prompt_id").GetInt32(), prompt,
                    row.GetProperty("response_id").GetInt32(), row.GetProperty("response").GetString()!, spans, row.GetProperty("task_id").GetInt64(),
                    row.GetProperty("annotator").GetString()!, row.GetProperty("labelled_at").GetDateTimeOffset()));
            }
            catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{datasetFile}, line {line}: not a span example ({error.Message})", error);
            }
        }
        return rows;
    }
}
