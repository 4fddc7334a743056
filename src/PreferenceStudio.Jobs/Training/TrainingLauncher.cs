using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using Quartz;

namespace PreferenceStudio.Jobs.Training;

/// <summary>Records a training run and hands it to the job cluster; the first free worker trains it.</summary>
public sealed class TrainingLauncher(PreferenceStudioDbContext db, ISchedulerFactory schedulers, TimeProvider clock)
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
        if (await OnDemandJobs.TriggerAsync(schedulers, RewardModelJob.Key, RewardModelJob.RunIdKey, run.Id, cancellationToken) is { } error)
        {
            run.Fail(error, clock.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None);
        }
        return (run, []);
    }

    /// <summary>Marks an unfinished run cancelled; its worker stops at its next progress report. False when already finished.</summary>
    public async Task<bool> CancelAsync(long runId, CancellationToken cancellationToken)
    {
        var run = await db.TrainingRuns.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.IsFinished)
            return false;
        run.Cancel(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
