using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>How many current (not superseded) labels of every kind a project holds: what "every N new labels" counts.</summary>
public static class ProjectLabels
{
    public static Task<int> CountAsync(PreferenceStudioDbContext db, int projectId, CancellationToken cancellationToken) =>
        (from label in db.Annotations
         join task in db.Tasks on label.TaskId equals task.Id
         where task.ProjectId == projectId && label.SupersededAt == null
         select label.Id).CountAsync(cancellationToken);
}
