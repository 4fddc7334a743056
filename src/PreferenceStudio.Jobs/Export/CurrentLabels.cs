using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Export;

/// <summary>A current (not superseded) label and the prompt its task is about.</summary>
public sealed record Labelled<T>(T Label, int PromptId) where T : Annotation;

/// <summary>The current labels of one kind in a project, read in id order a batch at a time.</summary>
public static class CurrentLabels
{
    public static async IAsyncEnumerable<IReadOnlyList<Labelled<T>>> BatchesAsync<T>(
        PreferenceStudioDbContext db, int projectId, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : Annotation
    {
        long after = 0;
        while (true)
        {
            // Keyset paging: each batch is its own query, so nothing holds the connection between batches.
            var batch = await (
                    from label in db.Set<T>().AsNoTracking()
                    join task in db.Tasks on label.TaskId equals task.Id
                    where label.SupersededAt == null && task.ProjectId == projectId && label.Id > after
                    orderby label.Id
                    select new { label, task.PromptId })
                .Take(ExportContext.BatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
                yield break;
            after = batch[^1].label.Id;
            yield return batch.Select(x => new Labelled<T>(x.label, x.PromptId)).ToList();
        }
    }
}
