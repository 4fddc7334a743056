using Hangfire;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Training;

/// <summary>
/// Fired by a project's retrain schedule (<see cref="ProjectSchedules"/>): launches a reward-model run on the project's
/// current labels, with the settings of the project's last reward run (the defaults for the first). The training itself
/// runs as its own job on the training queue. A schedule firing while the last run is still queued or running skips,
/// so a slow run never piles up copies of itself.
/// </summary>
public sealed class ScheduledRetrainJob(PreferenceStudioDbContext db, TimeProvider clock, ILogger<ScheduledRetrainJob> logger, TrainingLauncher launcher)
    : JobBase(db, clock, logger)
{
    public const string Name = "project-retrain";
    public const string RequestedBy = "schedule";

    // Firings overlap when a schedule is tight: one at a time, so two never both see "no run going" and both launch.
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task<string?> RunAsync(int projectId, PerformContext? context, CancellationToken cancellationToken) =>
        RunAsync(Name, context, () => LaunchAsync(projectId, cancellationToken));

    private async Task<string?> LaunchAsync(int projectId, CancellationToken cancellationToken)
    {
        var project = await Db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == projectId, cancellationToken);
        if (project?.RetrainBaseModelId is not { } baseModelId)
            return $"project {projectId} has no retrain schedule any more";
        var runs = Db.TrainingRuns.AsNoTracking().Where(r => r.ProjectId == projectId && r.Kind == TrainingKind.RewardModel);
        if (await runs.Where(r => r.State == RunState.Queued || r.State == RunState.Running).Select(r => (long?)r.Id).FirstOrDefaultAsync(cancellationToken) is { } busy)
            return $"skipped: run {busy} is still queued or running";
        var lastConfig = await runs.OrderByDescending(r => r.Id).Select(r => r.ConfigJson).FirstOrDefaultAsync(cancellationToken);
        var config = lastConfig is null ? new RewardRunConfig() : RewardRunConfig.FromJson(lastConfig);

        var (run, errors) = await launcher.LaunchRewardModelAsync(projectId, baseModelId, config, RequestedBy, cancellationToken);
        return run is null
            ? throw new InvalidOperationException($"The schedule could not launch a run: {string.Join("; ", errors)}")
            : $"launched run {run.Id}";
    }
}
