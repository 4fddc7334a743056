using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Data;
using PreferenceStudio.Web.Grids;
using PreferenceStudio.Web.Hosting;
using PreferenceStudio.Web.Security;

namespace PreferenceStudio.Web.Projects;

public sealed record ProjectRow(
    int Id, string Slug, string Name, IReadOnlyList<KindCount> Kinds, int Overlap, int Prompts, int Open, int Complete, int Labels, DateTimeOffset CreatedAt);

/// <summary>The projects list: one page of projects, searched, sorted and counted in SQL.</summary>
public sealed class ProjectListQuery(AccessGate gate, IDbContextFactory<PreferenceStudioDbContext> contexts)
{
    /// <summary>The columns the list sorts by, named as the grid names them (the row's property); anything else sorts by name.</summary>
    public static class Columns
    {
        public const string Name = nameof(ProjectRow.Name);
        public const string Prompts = nameof(ProjectRow.Prompts);
        public const string Open = nameof(ProjectRow.Open);
        public const string Complete = nameof(ProjectRow.Complete);
        public const string Labels = nameof(ProjectRow.Labels);
        public const string Created = nameof(ProjectRow.CreatedAt);
    }

    public async Task<Paged<ProjectRow>> PageAsync(ClaimsPrincipal user, PageRequest request, CancellationToken cancellationToken)
    {
        await gate.RequireAsync(user, Policies.Research, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        var projects = db.Projects.AsNoTracking();
        if (request.SearchPattern is { } pattern)
            projects = projects.Where(p => EF.Functions.ILike(p.Name, pattern, PageRequest.Escape) || EF.Functions.ILike(p.Slug, pattern, PageRequest.Escape));
        var total = await projects.CountAsync(cancellationToken);

        var rows = projects.Select(p => new
        {
            p.Id, p.Slug, p.Name, p.Kinds, p.Overlap, p.CreatedAt,
            Prompts = db.Prompts.Count(x => x.ProjectId == p.Id),
            Open = db.Tasks.Count(t => t.ProjectId == p.Id && t.State == TaskState.Open),
            Complete = db.Tasks.Count(t => t.ProjectId == p.Id && t.State == TaskState.Complete),
            Labels = db.Annotations.Count(a => a.SupersededAt == null && db.Tasks.Any(t => t.Id == a.TaskId && t.ProjectId == p.Id)),
        });
        var page = await rows.SortBy(request)
            .Column(Columns.Prompts, r => r.Prompts)
            .Column(Columns.Open, r => r.Open)
            .Column(Columns.Complete, r => r.Complete)
            .Column(Columns.Labels, r => r.Labels)
            .Column(Columns.Created, r => r.CreatedAt)
            .Otherwise(r => r.Name).ThenBy(r => r.Name).ThenBy(r => r.Id)
            .PageOf(request).ToListAsync(cancellationToken);

        var ids = page.Select(p => p.Id).ToList();
        var counts = (await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.ProjectId)).Select(t => new { t.ProjectId, t.Kind })
                .GroupBy(t => new { t.ProjectId, t.Kind }).Select(g => new { g.Key.ProjectId, g.Key.Kind, Tasks = g.Count() })
                .ToListAsync(cancellationToken))
            .ToLookup(c => c.ProjectId, c => new KindCount(c.Kind, c.Tasks));
        return new Paged<ProjectRow>(
            page.Select(p => new ProjectRow(p.Id, p.Slug, p.Name, FeedbackKindNames.WithCounts(p.Kinds, counts[p.Id]), p.Overlap,
                p.Prompts, p.Open, p.Complete, p.Labels, p.CreatedAt)).ToList(),
            total);
    }
}
