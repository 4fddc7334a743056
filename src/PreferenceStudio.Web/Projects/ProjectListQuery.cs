using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Data;

namespace PreferenceStudio.Web.Projects;

public sealed record ProjectRow(
    int Id, string Slug, string Name, IReadOnlyList<KindCount> Kinds, int Overlap, int Prompts, int Open, int Complete, int Labels, DateTimeOffset CreatedAt);

/// <summary>The projects list: one page of projects, searched, sorted and counted in SQL.</summary>
public sealed class ProjectListQuery(ResearchGate gate, IDbContextFactory<PreferenceStudioDbContext> contexts)
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
        await gate.RequireAsync(user, cancellationToken);
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
        rows = (request.SortBy, request.Descending) switch
        {
            (Columns.Prompts, false) => rows.OrderBy(r => r.Prompts).ThenBy(r => r.Name),
            (Columns.Prompts, true) => rows.OrderByDescending(r => r.Prompts).ThenBy(r => r.Name),
            (Columns.Open, false) => rows.OrderBy(r => r.Open).ThenBy(r => r.Name),
            (Columns.Open, true) => rows.OrderByDescending(r => r.Open).ThenBy(r => r.Name),
            (Columns.Complete, false) => rows.OrderBy(r => r.Complete).ThenBy(r => r.Name),
            (Columns.Complete, true) => rows.OrderByDescending(r => r.Complete).ThenBy(r => r.Name),
            (Columns.Labels, false) => rows.OrderBy(r => r.Labels).ThenBy(r => r.Name),
            (Columns.Labels, true) => rows.OrderByDescending(r => r.Labels).ThenBy(r => r.Name),
            (Columns.Created, false) => rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id),
            (Columns.Created, true) => rows.OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id),
            (_, true) => rows.OrderByDescending(r => r.Name).ThenBy(r => r.Id),
            _ => rows.OrderBy(r => r.Name).ThenBy(r => r.Id),
        };
        var (skip, take) = request.Window;
        var page = await rows.Skip(skip).Take(take).ToListAsync(cancellationToken);

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
