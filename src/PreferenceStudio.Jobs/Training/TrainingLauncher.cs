using Hangfire;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Training;

/// <summary>Records a training run and enqueues its job on the training queue; the first free worker listening to it trains it.</summary>
public sealed partial class TrainingLauncher(PreferenceStudioDbContext db, IBackgroundJobClient jobs, TimeProvider clock)
{
    /// <summary>A queued reward-model run, or the problems of the request (each naming its field) and no run.</summary>
    public Task<(TrainingRun? Run, IReadOnlyList<string> Errors)> LaunchRewardModelAsync(
        int projectId, int baseModelVersionId, RewardRunConfig config, string requestedBy, CancellationToken cancellationToken) =>
        LaunchAsync(TrainingKind.RewardModel, projectId, baseModelVersionId, config, requestedBy,
            id => jobs.Enqueue<RewardModelJob>(JobQueues.Training, j => j.RunAsync(id, null, CancellationToken.None)), cancellationToken);

    /// <summary>A queued DPO run of the base policy on the project's pairs, or the problems of the request and no run.</summary>
    public Task<(TrainingRun? Run, IReadOnlyList<string> Errors)> LaunchDpoAsync(
        int projectId, int basePolicyVersionId, DpoRunConfig config, string requestedBy, CancellationToken cancellationToken) =>
        LaunchAsync(TrainingKind.Dpo, projectId, basePolicyVersionId, config, requestedBy,
            id => jobs.Enqueue<DpoModelJob>(JobQueues.Training, j => j.RunAsync(id, null, CancellationToken.None)), cancellationToken);

    /// <summary>A queued PPO run of the base policy on the project's prompts with the reward its config names, or the problems and no run.</summary>
    public async Task<(TrainingRun? Run, IReadOnlyList<string> Errors)> LaunchPpoAsync(
        int projectId, int basePolicyVersionId, PpoRunConfig config, string requestedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var rewardErrors = await PpoLaunchChecks.CheckRewardAsync(db, config.Reward, cancellationToken);
        if (rewardErrors.Count > 0)
            return (null, [.. config.Validate(), .. rewardErrors]);
        return await LaunchAsync(TrainingKind.Ppo, projectId, basePolicyVersionId, config, requestedBy,
            id => jobs.Enqueue<PpoModelJob>(JobQueues.Training, j => j.RunAsync(id, null, CancellationToken.None)), cancellationToken);
    }

    private async Task<(TrainingRun? Run, IReadOnlyList<string> Errors)> LaunchAsync(TrainingKind kind,
        int projectId, int baseModelVersionId, ITrainingRunConfig config, string requestedBy, Func<long, string> enqueue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = config.Validate().ToList();
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, cancellationToken))
            errors.Add($"project: there is no project {projectId}");
        var baseModel = await db.ModelVersions.AsNoTracking().SingleOrDefaultAsync(m => m.Id == baseModelVersionId, cancellationToken);
        if (baseModel is null)
            errors.Add($"base_model: there is no model version {baseModelVersionId}");
        else if (baseModel.Kind != ModelKind.Policy)
            errors.Add($"base_model: model version {baseModelVersionId} is a {baseModel.Kind} model; training starts from a policy (a language model)");
        if (errors.Count > 0)
            return (null, errors);

        var run = new TrainingRun(kind, config.ToJson(), requestedBy, projectId, baseModelVersionId);
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        var (jobId, error) = OnDemandJobs.TryEnqueue(() => enqueue(run.Id));
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
