using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Data;
using PreferenceStudio.Web.Grids;
using PreferenceStudio.Web.Hosting;
using PreferenceStudio.Web.Security;

namespace PreferenceStudio.Web.Projects;

public sealed record TaskRow(long Id, TaskKind Kind, TaskState State, string? PromptId, int Completed, int Required, int Priority, bool IsGold);

/// <summary>What narrows a project's task list beyond the search text (which matches the prompt's id).</summary>
public sealed record TaskFilter(TaskKind? Kind = null, TaskState? State = null);

/// <summary>A project's tasks, one page at a time, filtered and sorted in SQL.</summary>
public sealed class TaskListQuery(AccessGate gate, IDbContextFactory<PreferenceStudioDbContext> contexts)
{
    public static class Columns
    {
        public const string Id = nameof(TaskRow.Id);
        public const string Kind = nameof(TaskRow.Kind);
        public const string State = nameof(TaskRow.State);
        public const string Completed = nameof(TaskRow.Completed);
        public const string Priority = nameof(TaskRow.Priority);
    }

    public async Task<Paged<TaskRow>> PageAsync(ClaimsPrincipal user, int projectId, PageRequest request, TaskFilter filter, CancellationToken cancellationToken)
    {
        await gate.RequireAsync(user, Policies.Research, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var tasks = db.Tasks.AsNoTracking().Where(t => t.ProjectId == projectId);
        if (filter.Kind is { } kind)
            tasks = tasks.Where(t => t.Kind == kind);
        if (filter.State is { } state)
            tasks = tasks.Where(t => t.State == state);
        var rows = tasks.Select(t => new
        {
            t.Id, t.Kind, t.State, t.CompletedAnnotations, t.RequiredAnnotations, t.Priority, t.IsGold,
            PromptId = db.Prompts.Where(p => p.Id == t.PromptId).Select(p => p.ExternalId).FirstOrDefault(),
        });
        if (request.SearchPattern is { } pattern)
            rows = rows.Where(r => EF.Functions.ILike(r.PromptId ?? "", pattern, PageRequest.Escape));
        var total = await rows.CountAsync(cancellationToken);
        var page = await rows.SortBy(request)
            .Column(Columns.Kind, r => r.Kind)
            .Column(Columns.State, r => r.State)
            .Column(Columns.Completed, r => r.CompletedAnnotations)
            .Column(Columns.Priority, r => r.Priority)
            .Otherwise(r => r.Id).ThenBy(r => r.Id)
            .PageOf(request)
            .Select(r => new TaskRow(r.Id, r.Kind, r.State, r.PromptId, r.CompletedAnnotations, r.RequiredAnnotations, r.Priority, r.IsGold))
            .ToListAsync(cancellationToken);
        return new Paged<TaskRow>(page, total);
    }
}
