using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// Fine-grained feedback, one row per labelled response: its marked spans (UTF-16 offsets, the marked text, error
/// type, severity, comment) and whole-response flags, as the Fine-Grained RLHF reward models are trained on.
/// </summary>
public sealed class FineGrainedSpansFormat : IDatasetFormat
{
    public ExportFormat Format => ExportFormat.FineGrainedSpans;

    public async Task WriteAsync(PreferenceStudioDbContext db, int projectId, DatasetWriter writer, CancellationToken cancellationToken)
    {
        var labels = await db.SpanLabels.AsNoTracking().Where(l => l.ProjectId == projectId).ToDictionaryAsync(l => l.Id, cancellationToken);
        var context = new ExportContext(db);
        await foreach (var batch in CurrentLabels.BatchesAsync<SpanAnnotation>(db, projectId, cancellationToken))
        {
            await context.LoadAsync(batch.Select(x => x.PromptId), batch.SelectMany(x => x.Label.ShownOrder), cancellationToken);
            foreach (var (label, promptId) in batch)
                foreach (var responseId in label.ShownOrder)
                {
                    // The shown order is the one list of response ids without a foreign key: a label written past the
                    // use cases (an import, a seed) may name one that does not exist. There is no response to export.
                    if (!context.Responses.TryGetValue(responseId, out var response))
                        continue;
                    var (text, source) = response;
                    await writer.WriteRowAsync(json =>
                    {
                        DatasetWriter.WriteMessages(json, "prompt", context.Prompts[promptId]);
                        json.WriteString("response", text);
                        json.WriteString("model", source);
                        json.WriteStartArray("spans");
                        foreach (var span in label.Spans.Where(s => s.ResponseId == responseId).OrderBy(s => s.Start))
                        {
                            json.WriteStartObject();
                            json.WriteNumber("start", span.Start);
                            json.WriteNumber("end", span.End);
                            json.WriteString("text", span.End <= text.Length ? text[span.Start..span.End] : "");
                            json.WriteString("label", labels.TryGetValue(span.LabelId, out var spanLabel) ? spanLabel.Key : "");
                            if (span.Severity is { } severity)
                                json.WriteString("severity", severity.ToString().ToLowerInvariant());
                            else
                                json.WriteNull("severity");
                            json.WriteString("comment", span.Comment ?? "");
                            json.WriteEndObject();
                        }
                        json.WriteEndArray();
                        json.WriteStartArray("flags");
                        foreach (var flag in label.Flags.Where(f => f.ResponseId == responseId))
                            json.WriteStringValue(flag.Flag);
                        json.WriteEndArray();
                        TrlPreferenceFormat.WriteProvenance(json, "span", label);
                    }, cancellationToken);
                }
        }
    }
}
