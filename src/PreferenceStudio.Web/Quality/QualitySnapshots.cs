using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Data;

namespace PreferenceStudio.Web.Quality;

/// <summary>
/// Serves each project's quality figures from its stored snapshot and decides when to compute them afresh. A project
/// whose figures took under <see cref="LiveBudget"/> to compute gets them afresh on every view, as the page always did;
/// a bigger one (a million tasks take tens of seconds) is answered from its snapshot at once, with the moment it
/// describes, and recomputed in the background once the snapshot is older than <see cref="MaxAge"/>. One computation
/// per project runs at a time in this process; a snapshot never replaces a newer one, so several web nodes may
/// compute side by side without going back in time.
/// </summary>
public sealed class QualitySnapshots(IServiceScopeFactory scopes, TimeProvider clock, ILogger<QualitySnapshots> logger)
{
    public static readonly TimeSpan LiveBudget = TimeSpan.FromMilliseconds(500);

    /// <summary>How long the first view of a project with no snapshot waits before it says the figures are being computed.</summary>
    public static readonly TimeSpan FirstViewWait = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan MinimumAge = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<int, Lazy<Task<QualityComputation>>> _running = new();

    /// <summary>How old a slow snapshot may get: twenty times its computation, so recomputing costs the database at most a twentieth of its time.</summary>
    public static TimeSpan MaxAge(TimeSpan computeTime) => computeTime * 20 > MinimumAge ? computeTime * 20 : MinimumAge;

    public async Task<QualityView> ViewAsync(int projectId, CancellationToken ct)
    {
        var stored = await LoadAsync(projectId, ct);
        if (stored is null)
        {
            var first = Refresh(projectId);
            await Task.WhenAny(first, Task.Delay(FirstViewWait, clock, ct));
            return first.IsCompletedSuccessfully ? View(first.Result, null) : new QualityView(null, null, null, first);
        }
        var (snapshot, figures) = stored.Value;
        var computeTime = TimeSpan.FromMilliseconds(snapshot.ComputeMs);
        if (computeTime < LiveBudget)
            return View(await Refresh(projectId).WaitAsync(ct), computeTime);
        if (clock.GetUtcNow() - snapshot.ComputedAt < MaxAge(computeTime))
            return new QualityView(figures, snapshot.ComputedAt, computeTime, null);
        return new QualityView(figures, snapshot.ComputedAt, computeTime, Refresh(projectId));
    }

    /// <summary>Computes the project's figures now (or joins the computation already running) and stores them.</summary>
    public Task<QualityComputation> Refresh(int projectId)
    {
        var lazy = _running.GetOrAdd(projectId, id => new Lazy<Task<QualityComputation>>(() => ComputeAndStoreAsync(id)));
        return lazy.Value;
    }

    private static QualityView View(QualityComputation computation, TimeSpan? computeTime) =>
        new(computation.Figures, computation.AsOf, computeTime, null);

    private async Task<QualityComputation> ComputeAndStoreAsync(int projectId)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PreferenceStudioDbContext>();
            var timer = Stopwatch.StartNew();
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var computation = await QualityFigures.ComputeAsync(db, projectId, today, CancellationToken.None, logger);
            var ms = (int)Math.Min(int.MaxValue, timer.ElapsedMilliseconds);
            var json = JsonSerializer.Serialize(computation.Figures);
            // An older computation that finishes late leaves a newer snapshot alone.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO quality_snapshots (project_id, computed_at, compute_ms, figures)
                VALUES ({projectId}, {computation.AsOf}, {ms}, CAST({json} AS jsonb))
                ON CONFLICT (project_id) DO UPDATE
                SET computed_at = excluded.computed_at, compute_ms = excluded.compute_ms, figures = excluded.figures
                WHERE quality_snapshots.computed_at < excluded.computed_at
                """);
            if (ms >= LiveBudget.TotalMilliseconds)
                logger.LogInformation("Quality figures of project {Project} computed in {Ms} ms, as of {AsOf}", projectId, ms, computation.AsOf);
            return computation;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Computing the quality figures of project {Project} failed", projectId);
            throw;
        }
        finally
        {
            _running.TryRemove(projectId, out _);
        }
    }

    private async Task<(QualitySnapshot Snapshot, ProjectQuality Figures)?> LoadAsync(int projectId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreferenceStudioDbContext>();
        var snapshot = await db.QualitySnapshots.AsNoTracking().SingleOrDefaultAsync(s => s.ProjectId == projectId, ct);
        return snapshot is null ? null : (snapshot, JsonSerializer.Deserialize<ProjectQuality>(snapshot.FiguresJson)!);
    }
}

/// <summary>
/// What the quality page shows: the figures (null only while a project's first computation runs), the moment they
/// describe, how long computing them took, and the computation running now, if the page should wait for newer ones.
/// </summary>
public sealed record QualityView(ProjectQuality? Figures, DateTimeOffset? AsOf, TimeSpan? ComputeTime, Task<QualityComputation>? Refreshing);
