using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// The HelpSteer3 preference layout: one row per pair (context, response1, response2) with every annotator's
/// score in individual_preference and their rounded mean in overall_preference, on HelpSteer3's -3..3 scale where
/// negative favours response1. Our five points map as much better = 3, better = 2, tie = 0. Each annotator saw the
/// pair in their own order; scores are turned to response1's side, response1 being the lower response id.
/// </summary>
public sealed class HelpSteerFormat : IDatasetFormat
{
    public ExportFormat Format => ExportFormat.HelpSteer;

    public async Task WriteAsync(PreferenceStudioDbContext db, int projectId, DatasetWriter writer, CancellationToken cancellationToken)
    {
        var context = new ExportContext(db);
        await foreach (var batch in CurrentLabels.BatchesAsync<PairwiseAnnotation>(db, projectId, cancellationToken))
        {
            // A batch may end in the middle of a task's labels: take the rest of that task's labels with it.
            var taskIds = batch.Select(x => x.Label.TaskId).Distinct().ToList();
            var labels = await (
                    from label in db.PairwiseAnnotations.AsNoTracking()
                    join task in db.Tasks on label.TaskId equals task.Id
                    where label.SupersededAt == null && taskIds.Contains(label.TaskId)
                    orderby label.Id
                    select new { label, task.PromptId })
                .ToListAsync(cancellationToken);
            var firstIdOfTask = labels.GroupBy(x => x.label.TaskId).ToDictionary(g => g.Key, g => g.Min(x => x.label.Id));
            await context.LoadAsync(labels.Select(x => x.PromptId), labels.SelectMany(x => new[] { x.label.ResponseAId, x.label.ResponseBId }), cancellationToken);

            // A task is written with the batch that holds its first label, so no task is written twice.
            foreach (var task in labels.GroupBy(x => x.label.TaskId).Where(g => batch.Any(b => b.Label.Id == firstIdOfTask[g.Key])))
            {
                var first = task.First();
                var response1 = Math.Min(first.label.ResponseAId, first.label.ResponseBId);
                var response2 = Math.Max(first.label.ResponseAId, first.label.ResponseBId);
                var individual = task.Select(x => (Score: Scale(x.label), x.label.Rationale, x.label.AnnotatorId)).ToList();
                var overall = (int)Math.Round(individual.Average(i => i.Score), MidpointRounding.AwayFromZero);
                await writer.WriteRowAsync(json =>
                {
                    DatasetWriter.WriteMessages(json, "context", context.Prompts[first.PromptId]);
                    json.WriteString("response1", context.Responses[response1].Text);
                    json.WriteString("response2", context.Responses[response2].Text);
                    json.WriteNumber("overall_preference", overall);
                    json.WriteStartArray("individual_preference");
                    foreach (var i in individual)
                    {
                        json.WriteStartObject();
                        json.WriteNumber("score", i.Score);
                        json.WriteString("reasoning", i.Rationale ?? "");
                        json.WriteString("annotator", i.AnnotatorId);
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                    json.WriteNumber("task_id", task.Key);
                }, cancellationToken);
            }
        }
    }

    /// <summary>-3..3 with negative for response1 (the lower id), whichever side the annotator saw it on.</summary>
    public static int Scale(PairwiseAnnotation label) =>
        label.CanonicalPreference switch { -2 => -3, -1 => -2, 0 => 0, 1 => 2, _ => 3 };
}
