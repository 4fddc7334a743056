using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Data;

namespace PreferenceStudio.Annotating;

public sealed class TaskViewQuery(PreferenceStudioDbContext db)
{
    // Compiled once: the JSON API's next-task and progress look the project up on every call, and need three columns.
    private static readonly Func<PreferenceStudioDbContext, string, CancellationToken, Task<QueueSettings?>> SettingsBySlug =
        EF.CompileAsyncQuery((PreferenceStudioDbContext context, string slug, CancellationToken _) =>
            context.Projects.Where(p => p.Slug == slug).Select(p => new QueueSettings(p.Id, p.GoldRate, p.LeaseDuration)).FirstOrDefault());

    /// <summary>The queue's settings of the project, in one round trip (not the project with its principles and span labels, three).</summary>
    public Task<QueueSettings?> QueueSettingsAsync(string slug, CancellationToken ct = default) => SettingsBySlug(db, slug, ct);

    public Task<Project?> ProjectAsync(string slug, CancellationToken ct = default) =>
        db.Projects.AsNoTracking()
            .Include(p => p.Principles.OrderBy(x => x.Order))
            .Include(p => p.SpanLabels.OrderBy(x => x.Order))
            .AsSplitQuery()
            .FirstOrDefaultAsync(p => p.Slug == slug, ct);

    /// <summary>The task as this annotator sees it, with their current label when they have one (to edit it).</summary>
    public async Task<TaskView?> LoadAsync(Project project, long taskId, string annotatorId, CancellationToken ct = default)
    {
        // Single query: the task and its few responses in one round trip, not two.
        var task = await db.Tasks.AsNoTracking().AsSingleQuery().SingleOrDefaultAsync(t => t.Id == taskId && t.ProjectId == project.Id, ct);
        if (task is null)
            return null;
        var prompt = await db.Prompts.AsNoTracking().SingleAsync(p => p.Id == task.PromptId, ct);
        var ids = task.Responses.OrderBy(r => r.Position).Select(r => r.ResponseId).ToList();
        var texts = await db.Responses.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Text, ct);
        var shown = DisplayOrder.Shuffle(ids, task.Id, annotatorId)
            .Select((id, i) => new ShownResponse(id, ((char)('A' + i)).ToString(), texts[id]))
            .ToList();
        var current = await db.Annotations.AsNoTracking()
            .SingleOrDefaultAsync(a => a.TaskId == taskId && a.AnnotatorId == annotatorId && a.SupersededAt == null, ct);
        return new TaskView(task.Id, task.Kind, prompt.Conversation, shown, project.Principles, project.SpanLabels, project.AllowRankingTies, current);
    }
}
