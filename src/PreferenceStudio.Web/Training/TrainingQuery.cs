using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;

namespace PreferenceStudio.Web.Training;

public sealed record Choice(int Id, string Name);

public sealed record RunRow(
    long Id, TrainingKind Kind, string? Project, string? BaseModel, RunState State, int Step, int TotalSteps,
    double? LastLoss, double? LastAccuracy, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt);

public sealed record ModelRow(
    int Id, string Name, ModelKind Kind, string? Parent, long? TrainingRunId, string CheckpointPath, DateTimeOffset CreatedAt, double? HeldOutAccuracy);

/// <summary>A run with the names it points at and its curves, as the detail page and its polled status show it.</summary>
public sealed record RunDetails(TrainingRun Run, string? Project, string? ProjectSlug, string? BaseModel, string? OutputModel, RunCharts Charts);

/// <summary>What the training pages read: runs, model versions and one run's curves.</summary>
public sealed class TrainingQuery(PreferenceStudioDbContext db)
{
    /// <summary>The runs table shows the most recent runs; older ones stay reachable by address.</summary>
    public const int RecentRuns = 50;

    public Task<List<Choice>> ProjectsAsync(CancellationToken ct) =>
        db.Projects.AsNoTracking().OrderBy(p => p.Name).Select(p => new Choice(p.Id, p.Name)).ToListAsync(ct);

    /// <summary>Reward models are trained on top of a language model, so only policy checkpoints can be a base.</summary>
    public Task<List<Choice>> BaseModelsAsync(CancellationToken ct) =>
        db.ModelVersions.AsNoTracking().Where(m => m.Kind == ModelKind.Policy).OrderByDescending(m => m.CreatedAt)
            .Select(m => new Choice(m.Id, m.Name)).ToListAsync(ct);

    public Task<List<RunRow>> RecentRunsAsync(CancellationToken ct) =>
        db.TrainingRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(RecentRuns)
            .Select(r => new RunRow(
                r.Id, r.Kind,
                db.Projects.Where(p => p.Id == r.ProjectId).Select(p => p.Name).FirstOrDefault(),
                db.ModelVersions.Where(m => m.Id == r.BaseModelVersionId).Select(m => m.Name).FirstOrDefault(),
                r.State, r.Step, r.TotalSteps,
                // The (run, key, step) index answers each of these with one index probe.
                db.RunMetrics.Where(m => m.RunId == r.Id && m.Key == MetricKeys.Loss).OrderByDescending(m => m.Step).Select(m => (double?)m.Value).FirstOrDefault(),
                db.RunMetrics.Where(m => m.RunId == r.Id && m.Key == MetricKeys.Accuracy).OrderByDescending(m => m.Step).Select(m => (double?)m.Value).FirstOrDefault(),
                r.CreatedBy, r.CreatedAt, r.StartedAt))
            .ToListAsync(ct);

    public async Task<List<ModelRow>> ModelVersionsAsync(CancellationToken ct)
    {
        var models = await db.ModelVersions.AsNoTracking().OrderByDescending(m => m.CreatedAt)
            .Select(m => new
            {
                m.Id, m.Name, m.Kind, m.TrainingRunId, m.CheckpointPath, m.CreatedAt, m.MetricsJson,
                Parent = db.ModelVersions.Where(p => p.Id == m.ParentId).Select(p => p.Name).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return models.Select(m => new ModelRow(m.Id, m.Name, m.Kind, m.Parent, m.TrainingRunId, m.CheckpointPath, m.CreatedAt,
            Metric(m.MetricsJson, MetricKeys.EvalAccuracy))).ToList();
    }

    public async Task<RunDetails?> RunAsync(long id, CancellationToken ct)
    {
        var run = await db.TrainingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (run is null)
            return null;
        var project = await db.Projects.AsNoTracking().Where(p => p.Id == run.ProjectId).Select(p => new { p.Name, p.Slug }).FirstOrDefaultAsync(ct);
        var names = await db.ModelVersions.AsNoTracking()
            .Where(m => m.Id == run.BaseModelVersionId || m.Id == run.OutputModelVersionId)
            .ToDictionaryAsync(m => m.Id, m => m.Name, ct);
        var points = await db.RunMetrics.AsNoTracking()
            .Where(m => m.RunId == id && MetricKeys.Charted.Contains(m.Key))
            .OrderBy(m => m.Step)
            .Select(m => new MetricPoint(m.Key, m.Step, m.Value))
            .ToListAsync(ct);
        return new RunDetails(run, project?.Name, project?.Slug,
            run.BaseModelVersionId is { } b ? names.GetValueOrDefault(b) : null,
            run.OutputModelVersionId is { } o ? names.GetValueOrDefault(o) : null,
            RunCharts.From(points));
    }

    /// <summary>One number of a model version's metrics; null when absent or when the JSON is not an object of numbers.</summary>
    public static double? Metric(string metricsJson, string key)
    {
        try
        {
            using var json = JsonDocument.Parse(metricsJson);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty(key, out var value)
                && value.ValueKind == JsonValueKind.Number
                ? value.GetDouble()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
