using Hangfire;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Training;

/// <summary>Records a training run and enqueues its job on the training queue; the first free worker listening to it trains it.</summary>
public sealed class TrainingLauncher(PreferenceStudioDbContext db, IBackgroundJobClient jobs, TimeProvider clock)
{
    /// <summary>A queued run, or the problems of the request (each naming its field) and no run.</summary>
    public async Task<(TrainingRun? Run, IReadOnlyList<string> Errors)> LaunchRewardModelAsync(
        int projectId, int baseModelVersionId, RewardRunConfig config, string requestedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = config.Validate().ToList();
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, cancellationToken))
            errors.Add($"project: there is no project {projectId}");
        var baseModel = await db.ModelVersions.AsNoTracking().SingleOrDefaultAsync(m => m.Id == baseModelVersionId, cancellationToken);
        if (baseModel is null)
            errors.Add($"base_model: there is no model version {baseModelVersionId}");
        if (errors.Count > 0)
            return (null, errors);

        var run = new TrainingRun(TrainingKind.RewardModel, config.ToJson(), requestedBy, projectId, baseModelVersionId);
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        var (jobId, error) = OnDemandJobs.TryEnqueue(() =>
            jobs.Enqueue<RewardModelJob>(JobQueues.Training, j => j.RunAsync(run.Id, null, CancellationToken.None)));
        if (jobId is not null)
            run.AttachJob(jobId);
        else
            run.Fail(error!, clock.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
        await db.Database.NotifyRunChangedAsync(run.Id, CancellationToken.None);
        return (run, []);
    }

    /// <summary>
    /// Marks an unfinished run cancelled, then deletes its job: a queued job never starts, and a running one sees its
    /// cancellation token fire within Jobs:CancellationCheckInterval. False when the run is already finished.
    /// </summary>
    public async Task<bool> CancelAsync(long runId, CancellationToken cancellationToken)
    {
        var run = await db.TrainingRuns.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.IsFinished)
            return false;
        run.Cancel(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.NotifyRunChangedAsync(run.Id, CancellationToken.None);
        if (run.JobId is not null)
            jobs.Delete(run.JobId);
        return true;
    }
}
