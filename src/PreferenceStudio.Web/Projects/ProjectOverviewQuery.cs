using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Data;
using PreferenceStudio.Web.Hosting;
using PreferenceStudio.Web.Security;

namespace PreferenceStudio.Web.Projects;

public sealed record KindProgress(TaskKind Kind, int Open, int Complete, int Retired);

/// <summary>What the head of a project's page shows: its settings, what it asks, and its tasks' progress per kind.</summary>
public sealed record ProjectOverview(
    int Id, string Slug, string Name, FeedbackKinds Kinds, int Overlap, TimeSpan Lease, double GoldRate, string Guidelines,
    IReadOnlyList<Principle> Principles, IReadOnlyList<SpanLabel> SpanLabels, string? RetrainCron, int? RetrainBaseModelId,
    IReadOnlyList<KindProgress> Progress);

public sealed class ProjectOverviewQuery(AccessGate gate, IServiceScopeFactory scopes)
{
    public async Task<ProjectOverview?> GetAsync(ClaimsPrincipal user, string slug, CancellationToken cancellationToken)
    {
        await gate.RequireAsync(user, Policies.Research, cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreferenceStudioDbContext>();
        var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Slug == slug, cancellationToken);
        if (project is null)
            return null;
        // Projected before grouping: EF cannot group whole tasks, which own their response list.
        var progress = await db.Tasks.Where(t => t.ProjectId == project.Id).Select(t => new { t.Kind, t.State }).GroupBy(t => t.Kind)
            .OrderBy(g => g.Key)
            .Select(g => new KindProgress(g.Key, g.Count(t => t.State == TaskState.Open), g.Count(t => t.State == TaskState.Complete),
                g.Count(t => t.State == TaskState.Retired)))
            .ToListAsync(cancellationToken);
        return new ProjectOverview(project.Id, project.Slug, project.Name, project.Kinds, project.Overlap, project.LeaseDuration,
            project.GoldRate, project.GuidelinesMarkdown, project.Principles, project.SpanLabels, project.RetrainCron,
            project.RetrainBaseModelId, progress);
    }
}
