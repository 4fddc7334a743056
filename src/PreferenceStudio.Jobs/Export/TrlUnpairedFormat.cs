using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// TRL's unpaired preference layout (prompt, completion, label) that KTOTrainer reads: from each pairwise label the
/// preferred response is desirable and the other undesirable; "both bad" makes both undesirable; ties are left out.
/// </summary>
public sealed class TrlUnpairedFormat : IDatasetFormat
{
    public ExportFormat Format => ExportFormat.TrlUnpaired;

    public async Task WriteAsync(PreferenceStudioDbContext db, int projectId, DatasetWriter writer, CancellationToken cancellationToken)
    {
        var context = new ExportContext(db);
        await foreach (var batch in CurrentLabels.BatchesAsync<PairwiseAnnotation>(db, projectId, cancellationToken))
        {
            await context.LoadAsync(batch.Select(x => x.PromptId), batch.SelectMany(x => new[] { x.Label.ResponseAId, x.Label.ResponseBId }), cancellationToken);
            foreach (var (label, promptId) in batch)
            {
                if (label.ChosenRejected is not var (chosen, rejected))
                    continue;
                await WriteAsync(writer, context, promptId, chosen, desirable: !label.BothBad, label, cancellationToken);
                await WriteAsync(writer, context, promptId, rejected, desirable: false, label, cancellationToken);
            }
        }
    }

    private static Task WriteAsync(DatasetWriter writer, ExportContext context, int promptId, int response, bool desirable,
        Annotation label, CancellationToken cancellationToken) =>
        writer.WriteRowAsync(json =>
        {
            DatasetWriter.WriteMessages(json, "prompt", context.Prompts[promptId]);
            DatasetWriter.WriteAssistant(json, "completion", context.Responses[response].Text);
            json.WriteBoolean("label", desirable);
            TrlPreferenceFormat.WriteProvenance(json, "pairwise", label);
        }, cancellationToken);
}
