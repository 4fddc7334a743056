using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// The ultrafeedback_binarized layout (prompt, prompt_id, chosen, rejected, messages, score_chosen, score_rejected)
/// from rankings: the best-ranked response is chosen, the worst rejected, and a response ranked r of n scores n - r + 1.
/// Rankings whose responses are all tied are left out.
/// </summary>
public sealed class UltraFeedbackFormat : IDatasetFormat
{
    public ExportFormat Format => ExportFormat.UltraFeedback;

    public async Task WriteAsync(PreferenceStudioDbContext db, int projectId, DatasetWriter writer, CancellationToken cancellationToken)
    {
        var context = new ExportContext(db);
        await foreach (var batch in CurrentLabels.BatchesAsync<RankingAnnotation>(db, projectId, cancellationToken))
        {
            await context.LoadAsync(batch.Select(x => x.PromptId), batch.SelectMany(x => x.Label.Entries.Select(e => e.ResponseId)), cancellationToken);
            foreach (var (label, promptId) in batch)
            {
                var best = label.Entries.MinBy(e => e.Rank)!;
                var worst = label.Entries.MaxBy(e => e.Rank)!;
                if (best.Rank == worst.Rank)
                    continue;
                var n = label.Entries.Count;
                var conversation = context.Prompts[promptId];
                await writer.WriteRowAsync(json =>
                {
                    json.WriteString("prompt", conversation[^1].Content);
                    json.WriteString("prompt_id", promptId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    DatasetWriter.WriteMessages(json, "chosen", [.. conversation, new ChatTurn("assistant", context.Responses[best.ResponseId].Text)]);
                    DatasetWriter.WriteMessages(json, "rejected", [.. conversation, new ChatTurn("assistant", context.Responses[worst.ResponseId].Text)]);
                    DatasetWriter.WriteMessages(json, "messages", [.. conversation, new ChatTurn("assistant", context.Responses[best.ResponseId].Text)]);
                    json.WriteNumber("score_chosen", n - best.Rank + 1);
                    json.WriteNumber("score_rejected", n - worst.Rank + 1);
                    TrlPreferenceFormat.WriteProvenance(json, "ranking", label);
                }, cancellationToken);
            }
        }
    }
}
