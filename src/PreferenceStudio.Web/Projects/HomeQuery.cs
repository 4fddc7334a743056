using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Web.Hosting;
using PreferenceStudio.Web.Security;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Web.Projects;

/// <summary>A project as an annotator's home lists it: how many of its tasks still wait for this annotator.</summary>
public sealed record WaitingWork(string Slug, string Name, IReadOnlyList<TaskKind> Kinds, int Waiting, int LabelledByMe);

public sealed record ProjectProgress(string Slug, string Name, IReadOnlyList<TaskKind> Kinds, int Tasks, int Complete, int Labels)
{
    public double Share => Tasks == 0 ? 0 : (double)Complete / Tasks;
}

public sealed record RecentRun(long Id, TrainingKind Kind, string? Project, RunState State, double Progress, DateTimeOffset CreatedAt);

public sealed record NewestModel(int Id, string Name, ModelKind Kind, DateTimeOffset CreatedAt, double? HeldOutAccuracy);

public sealed record ResearchOverview(IReadOnlyList<ProjectProgress> Projects, IReadOnlyList<RecentRun> Runs, NewestModel? Model);

/// <summary>What each role's home page says to do next.</summary>
public sealed class HomeQuery(AccessGate gate, IServiceScopeFactory scopes)
{
    public const int RecentRuns = 5;

    /// <summary>
    /// Per project, the open tasks this annotator has never been handed: what the queue can still give them (the
    /// queue's own rule; a task whose slots are all held by others counts, as it comes back when a lease runs out).
    /// </summary>
    public async Task<IReadOnlyList<WaitingWork>> WaitingAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var me = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new AccessRefusedException("Sign in to see your work.");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreferenceStudioDbContext>();
        var rows = await db.Projects.AsNoTracking()
            .Select(p => new
            {
                p.Slug, p.Name, p.Kinds,
                Waiting = db.Tasks.Count(t => t.ProjectId == p.Id && t.State == TaskState.Open && !db.Assignments.Any(a => a.TaskId == t.Id && a.AnnotatorId == me)),
                Mine = db.Annotations.Count(a => a.AnnotatorId == me && a.SupersededAt == null && db.Tasks.Any(t => t.Id == a.TaskId && t.ProjectId == p.Id)),
            })
            .OrderByDescending(p => p.Waiting).ThenBy(p => p.Name)
            .ToListAsync(cancellationToken);
        return rows.Select(r => new WaitingWork(r.Slug, r.Name, FeedbackKindNames.Of(r.Kinds), r.Waiting, r.Mine)).ToList();
    }

    public async Task<ResearchOverview> ResearchAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await gate.RequireAsync(user, Policies.Research, cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreferenceStudioDbContext>();
        var projects = (await db.Projects.AsNoTracking().OrderBy(p => p.Name)
                .Select(p => new
                {
                    p.Slug, p.Name, p.Kinds,
                    Tasks = db.Tasks.Count(t => t.ProjectId == p.Id && t.State != TaskState.Retired),
                    Complete = db.Tasks.Count(t => t.ProjectId == p.Id && t.State == TaskState.Complete),
                    Labels = db.Annotations.Count(a => a.SupersededAt == null && db.Tasks.Any(t => t.Id == a.TaskId && t.ProjectId == p.Id)),
                })
                .ToListAsync(cancellationToken))
            .Select(p => new ProjectProgress(p.Slug, p.Name, FeedbackKindNames.Of(p.Kinds), p.Tasks, p.Complete, p.Labels)).ToList();
        var runs = (await db.TrainingRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(RecentRuns)
                .Select(r => new { r.Id, r.Kind, Project = db.Projects.Where(p => p.Id == r.ProjectId).Select(p => p.Name).FirstOrDefault(), r.State, r.Step, r.TotalSteps, r.CreatedAt })
                .ToListAsync(cancellationToken))
            .Select(r => new RecentRun(r.Id, r.Kind, r.Project, r.State, r.TotalSteps == 0 ? 0 : (double)r.Step / r.TotalSteps, r.CreatedAt)).ToList();
        var model = await db.ModelVersions.AsNoTracking().OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Select(m => new { m.Id, m.Name, m.Kind, m.CreatedAt, m.MetricsJson }).FirstOrDefaultAsync(cancellationToken);
        return new ResearchOverview(projects, runs,
            model is null ? null : new NewestModel(model.Id, model.Name, model.Kind, model.CreatedAt, TrainingQuery.Metric(model.MetricsJson, MetricKeys.EvalAccuracy)));
    }
}
