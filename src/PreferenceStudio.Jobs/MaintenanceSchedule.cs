using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PreferenceStudio.Jobs;

/// <summary>
/// Declares the recurring housekeeping jobs this version of the code wants when a worker starts, and removes the
/// housekeeping jobs it no longer knows, so one left behind by an older deployment never calls a method that was renamed
/// or removed. Per-project schedules (<see cref="ProjectSchedules"/>, <see cref="Loop.LoopSettingsStore"/>) belong to their projects and are left alone.
/// </summary>
internal sealed class MaintenanceSchedule(IRecurringJobManager recurring, JobStorage storage, IOptions<JobsOptions> options, ILogger<MaintenanceSchedule> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        recurring.AddOrUpdate<ExpireLeasesJob>(ExpireLeasesJob.RecurringId, JobQueues.Default,
            j => j.RunAsync(null, CancellationToken.None), o.LeaseExpiryCron);
        recurring.AddOrUpdate<FileCleanupJob>(FileCleanupJob.RecurringId, JobQueues.Default,
            j => j.RunAsync(null, CancellationToken.None), o.FileCleanupCron);
        recurring.AddOrUpdate<Loop.LoopLabelTriggerJob>(Loop.LoopLabelTriggerJob.RecurringId, JobQueues.Default,
            j => j.RunAsync(null, CancellationToken.None), o.LoopLabelTriggerCron);

        string[] wanted = [ExpireLeasesJob.RecurringId, FileCleanupJob.RecurringId, Loop.LoopLabelTriggerJob.RecurringId];
        using var connection = storage.GetConnection();
        foreach (var stale in connection.GetRecurringJobs()
                     .Where(j => !wanted.Contains(j.Id) && !ProjectSchedules.IsProjectSchedule(j.Id) && !Loop.LoopSettingsStore.IsLoopSchedule(j.Id)))
        {
            logger.LogInformation("Removing the recurring job {Job}, which this version does not declare", stale.Id);
            recurring.RemoveIfExists(stale.Id);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
