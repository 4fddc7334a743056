using System.Text.Json;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// TRL's conversational preference layout (prompt, chosen, rejected), as DPOTrainer and RewardTrainer read it.
/// Rows come from pairwise labels (ties left out) and from every pair of distinct ranks in a ranking;
/// "margin" is the strength (1 better, 2 much better) or the rank difference.
/// </summary>
public sealed class TrlPreferenceFormat : IDatasetFormat
{
    public ExportFormat Format => ExportFormat.TrlPreference;

    public async Task WriteAsync(PreferenceStudioDbContext db, int projectId, DatasetWriter writer, CancellationToken cancellationToken)
    {
        var context = new ExportContext(db);
        await foreach (var batch in CurrentLabels.BatchesAsync<PairwiseAnnotation>(db, projectId, cancellationToken))
        {
            await context.LoadAsync(batch.Select(x => x.PromptId), batch.SelectMany(x => new[] { x.Label.ResponseAId, x.Label.ResponseBId }), cancellationToken);
            foreach (var (label, promptId) in batch)
                if (label.ChosenRejected is var (chosen, rejected))
                    await WritePairAsync(writer, context, promptId, chosen, rejected, label.Strength, "pairwise", label, cancellationToken);
        }
        await foreach (var batch in CurrentLabels.BatchesAsync<RankingAnnotation>(db, projectId, cancellationToken))
        {
            await context.LoadAsync(batch.Select(x => x.PromptId), batch.SelectMany(x => x.Label.Entries.Select(e => e.ResponseId)), cancellationToken);
            foreach (var (label, promptId) in batch)
            {
                var ranked = label.Entries.OrderBy(e => e.Rank).ThenBy(e => e.ResponseId).ToList();
                foreach (var better in ranked)
                    foreach (var worse in ranked.Where(e => e.Rank > better.Rank))
                        await WritePairAsync(writer, context, promptId, better.ResponseId, worse.ResponseId, worse.Rank - better.Rank, "ranking", label, cancellationToken);
            }
        }
    }

    private static Task WritePairAsync(DatasetWriter writer, ExportContext context, int promptId, int chosen, int rejected,
        int margin, string source, Annotation label, CancellationToken cancellationToken) =>
        writer.WriteRowAsync(json =>
        {
            DatasetWriter.WriteMessages(json, "prompt", context.Prompts[promptId]);
            DatasetWriter.WriteAssistant(json, "chosen", context.Responses[chosen].Text);
            DatasetWriter.WriteAssistant(json, "rejected", context.Responses[rejected].Text);
            json.WriteNumber("margin", margin);
            WriteProvenance(json, source, label);
        }, cancellationToken);

    internal static void WriteProvenance(Utf8JsonWriter json, string source, Annotation label)
    {
        json.WriteString("source", source);
        json.WriteNumber("task_id", label.TaskId);
        json.WriteString("annotator", label.AnnotatorId);
    }
}
