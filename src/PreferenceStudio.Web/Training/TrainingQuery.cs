using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Web.Grids;

namespace PreferenceStudio.Web.Training;

public sealed record Choice(int Id, string Name);

public sealed record RunRow(
    long Id, TrainingKind Kind, string? Project, string? BaseModel, RunState State, int Step, int TotalSteps,
    double? LastLoss, double? LastAccuracy, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt);

public sealed record ModelRow(
    int Id, string Name, ModelKind Kind, string? Parent, long? TrainingRunId, string CheckpointPath, DateTimeOffset CreatedAt, double? HeldOutAccuracy,
    ModelOrigin Origin = ModelOrigin.Base, int? LabelsSeen = null, DateTimeOffset? NewestLabelAt = null, string? RoundPage = null)
{
    /// <summary>The page of the round that made a round's policy: /projects/{slug}/rounds/{number}.</summary>
    public static string? RoundPath(string? projectSlug, int? roundNumber) =>
        projectSlug is not null && roundNumber is { } number ? $"/projects/{projectSlug}/rounds/{number}" : null;
}

/// <summary>
/// A run with the names it points at: what its page shows besides the curves. Lineage: the output model's chain of
/// names, the model first and the base it all started from last (empty until the run made a model).
/// </summary>
public sealed record RunDetails(TrainingRun Run, string? Project, string? ProjectSlug, string? BaseModel, ModelRow? OutputModel, IReadOnlyList<string> Lineage);

/// <summary>
/// What the training pages read. Each call opens its own short-lived context: a circuit lives for hours and may call
/// from a push and a click at once, and a DbContext serves one caller at a time.
/// </summary>
public sealed class TrainingQuery(IDbContextFactory<PreferenceStudioDbContext> contexts)
{
    public async Task<List<Choice>> ProjectsAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Projects.AsNoTracking().OrderBy(p => p.Name).Select(p => new Choice(p.Id, p.Name)).ToListAsync(ct);
    }

    /// <summary>Reward models are trained on top of a language model, so only policy checkpoints can be a base.</summary>
    public async Task<List<Choice>> BaseModelsAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ModelVersions.AsNoTracking().Where(m => m.Kind == ModelKind.Policy).OrderByDescending(m => m.CreatedAt)
            .Select(m => new Choice(m.Id, m.Name)).ToListAsync(ct);
    }

    /// <summary>
    /// The model versions of a reward kind a PPO run of the project can name, newest first: those the project's runs
    /// trained, and those registered by hand (which belong to no project); all of the kind when no project is chosen.
    /// With <paramref name="retrainedByRounds"/> (the loop's pickers) only those the project's runs trained: a round
    /// retrains the model with its run's settings, so one registered by hand cannot be named.
    /// </summary>
    public async Task<List<Choice>> RewardSourcesAsync(ModelKind kind, int? projectId, CancellationToken ct, bool retrainedByRounds = false)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ModelVersions.AsNoTracking().Where(m => m.Kind == kind)
            .Where(m => projectId == null || (m.TrainingRunId == null && !retrainedByRounds)
                        || db.TrainingRuns.Any(r => r.Id == m.TrainingRunId && r.ProjectId == projectId))
            .OrderByDescending(m => m.CreatedAt).Select(m => new Choice(m.Id, m.Name)).ToListAsync(ct);
    }

    /// <summary>A page of runs, newest first unless sorted otherwise; the search matches the project or who launched it.</summary>
    public async Task<Paged<RunRow>> RunsAsync(PageRequest request, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var runs = db.TrainingRuns.AsNoTracking().Select(r => new
        {
            Run = r,
            Project = db.Projects.Where(p => p.Id == r.ProjectId).Select(p => p.Name).FirstOrDefault(),
            BaseModel = db.ModelVersions.Where(m => m.Id == r.BaseModelVersionId).Select(m => m.Name).FirstOrDefault(),
        });
        if (request.SearchPattern is { } pattern)
            runs = runs.Where(x => EF.Functions.ILike(x.Project ?? "", pattern, PageRequest.Escape) || EF.Functions.ILike(x.Run.CreatedBy, pattern, PageRequest.Escape));
        var total = await runs.CountAsync(ct);
        var rows = await runs.SortBy(request)
            .Column(nameof(RunRow.Project), x => x.Project)
            .Column(nameof(RunRow.BaseModel), x => x.BaseModel)
            .Column(nameof(RunRow.State), x => x.Run.State)
            .Column(nameof(RunRow.CreatedBy), x => x.Run.CreatedBy)
            .Column(nameof(RunRow.StartedAt), x => x.Run.StartedAt)
            .Column(nameof(RunRow.Id), x => x.Run.Id)
            .Otherwise(x => x.Run.Id, descending: true).ThenByDescending(x => x.Run.Id)
            .PageOf(request)
            .Select(x => new RunRow(
                x.Run.Id, x.Run.Kind, x.Project, x.BaseModel, x.Run.State, x.Run.Step, x.Run.TotalSteps,
                // The (run, key, step) index answers each of these with one index probe.
                db.RunMetrics.Where(m => m.RunId == x.Run.Id && m.Key == MetricKeys.Loss).OrderByDescending(m => m.Step).Select(m => (double?)m.Value).FirstOrDefault(),
                db.RunMetrics.Where(m => m.RunId == x.Run.Id && m.Key == MetricKeys.Accuracy).OrderByDescending(m => m.Step).Select(m => (double?)m.Value).FirstOrDefault(),
                x.Run.CreatedBy, x.Run.CreatedAt, x.Run.StartedAt))
            .ToListAsync(ct);
        return new Paged<RunRow>(rows, total);
    }

    /// <summary>A page of model versions, newest first unless sorted otherwise; the search matches the name.</summary>
    public async Task<Paged<ModelRow>> ModelVersionsAsync(PageRequest request, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var models = db.ModelVersions.AsNoTracking();
        if (request.SearchPattern is { } pattern)
            models = models.Where(m => EF.Functions.ILike(m.Name, pattern, PageRequest.Escape));
        var total = await models.CountAsync(ct);
        var page = await models.SortBy(request)
            .Column(nameof(ModelRow.Name), m => m.Name)
            .Column(nameof(ModelRow.Kind), m => m.Kind)
            .Column(nameof(ModelRow.TrainingRunId), m => m.TrainingRunId)
            .Column(nameof(ModelRow.CreatedAt), m => m.CreatedAt)
            .Otherwise(m => m.CreatedAt, descending: true).ThenByDescending(m => m.Id)
            .PageOf(request)
            .Select(m => new
            {
                m.Id, m.Name, m.Kind, m.TrainingRunId, m.CheckpointPath, m.CreatedAt, m.MetricsJson, m.Origin, m.LabelsSeen, m.NewestLabelAt,
                Parent = db.ModelVersions.Where(p => p.Id == m.ParentId).Select(p => p.Name).FirstOrDefault(),
                RoundNumber = db.LoopRounds.Where(r => r.Id == m.RoundId).Select(r => (int?)r.Number).FirstOrDefault(),
                RoundProject = db.LoopRounds.Where(r => r.Id == m.RoundId)
                    .Select(r => db.Projects.Where(p => p.Id == r.ProjectId).Select(p => p.Slug).FirstOrDefault()).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var rows = page.Select(m => new ModelRow(m.Id, m.Name, m.Kind, m.Parent, m.TrainingRunId, m.CheckpointPath, m.CreatedAt,
            Metric(m.MetricsJson, RewardKindResultsQuery.HeadlineKey(m.Kind)), m.Origin, m.LabelsSeen, m.NewestLabelAt,
            ModelRow.RoundPath(m.RoundProject, m.RoundNumber))).ToList();
        return new Paged<ModelRow>(rows, total);
    }

    public async Task<RunDetails?> RunAsync(long id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = await db.TrainingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (run is null)
            return null;
        var project = await db.Projects.AsNoTracking().Where(p => p.Id == run.ProjectId).Select(p => new { p.Name, p.Slug }).FirstOrDefaultAsync(ct);
        var baseModel = await db.ModelVersions.AsNoTracking().Where(m => m.Id == run.BaseModelVersionId).Select(m => m.Name).FirstOrDefaultAsync(ct);
        var output = await db.ModelVersions.AsNoTracking().Where(m => m.Id == run.OutputModelVersionId)
            .Select(m => new { m.Id, m.Name, m.Kind, m.TrainingRunId, m.CheckpointPath, m.CreatedAt, m.MetricsJson, m.Origin, m.LabelsSeen, m.NewestLabelAt })
            .FirstOrDefaultAsync(ct);
        var lineage = output is null ? [] : (await new ModelLineage(db).ChainAsync(output.Id, ct)).Select(m => m.Name).ToList();
        return new RunDetails(run, project?.Name, project?.Slug, baseModel, output is null
            ? null
            : new ModelRow(output.Id, output.Name, output.Kind, baseModel, output.TrainingRunId, output.CheckpointPath, output.CreatedAt,
                Metric(output.MetricsJson, RewardKindResultsQuery.HeadlineKey(output.Kind)), output.Origin, output.LabelsSeen, output.NewestLabelAt), lineage);
    }

    /// <summary>The run's charted points written after point <paramref name="afterId"/> (0: all of them).</summary>
    public async Task<List<MetricPoint>> PointsAsync(long runId, long afterId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.RunMetrics.AsNoTracking()
            .Where(m => m.RunId == runId && m.Id > afterId && MetricKeys.Charted.Contains(m.Key))
            .OrderBy(m => m.Id)
            .Select(m => new MetricPoint(m.Id, m.Key, m.Step, m.Value))
            .ToListAsync(ct);
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
