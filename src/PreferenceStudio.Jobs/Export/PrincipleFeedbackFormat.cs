using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// Binary principle feedback as RLBFF trains on it: one row per (response, principle) with the principle's text
/// and a yes/no verdict ("not_applicable" kept so it can be filtered), and the annotator's evidence.
/// </summary>
public sealed class PrincipleFeedbackFormat : IDatasetFormat
{
    public ExportFormat Format => ExportFormat.PrincipleFeedback;

    public async Task WriteAsync(PreferenceStudioDbContext db, int projectId, DatasetWriter writer, CancellationToken cancellationToken)
    {
        var principles = await db.Principles.AsNoTracking().Where(p => p.ProjectId == projectId).ToDictionaryAsync(p => p.Id, cancellationToken);
        var context = new ExportContext(db);
        await foreach (var batch in CurrentLabels.BatchesAsync<PrincipleAnnotation>(db, projectId, cancellationToken))
        {
            await context.LoadAsync(batch.Select(x => x.PromptId), batch.SelectMany(x => x.Label.Verdicts.Select(v => v.ResponseId)), cancellationToken);
            foreach (var (label, promptId) in batch)
                foreach (var verdict in label.Verdicts.OrderBy(v => v.ResponseId).ThenBy(v => principles[v.PrincipleId].Order))
                {
                    var principle = principles[verdict.PrincipleId];
                    await writer.WriteRowAsync(json =>
                    {
                        DatasetWriter.WriteMessages(json, "prompt", context.Prompts[promptId]);
                        json.WriteString("response", context.Responses[verdict.ResponseId].Text);
                        json.WriteString("principle", principle.Text);
                        json.WriteString("principle_key", principle.Key);
                        json.WriteString("verdict", verdict.Verdict switch
                        {
                            Verdict.Yes => "yes",
                            Verdict.No => "no",
                            _ => "not_applicable",
                        });
                        json.WriteString("evidence", verdict.Evidence ?? "");
                        TrlPreferenceFormat.WriteProvenance(json, "principle", label);
                    }, cancellationToken);
                }
        }
    }
}
