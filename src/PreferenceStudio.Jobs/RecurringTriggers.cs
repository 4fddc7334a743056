using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace PreferenceStudio.Jobs;

/// <summary>
/// Declares the recurring triggers this version of the code wants and removes the ones it no longer
/// knows, so a trigger left behind by an older deployment never fires a job that was renamed or removed.
/// </summary>
internal sealed class RecurringTriggers(ISchedulerFactory schedulers, IOptions<JobsOptions> options, ILogger<RecurringTriggers> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var wanted = new[]
        {
            TriggerBuilder.Create()
                .WithIdentity("expire-leases", JobGroups.Maintenance)
                .ForJob(ExpireLeasesJob.Key)
                .WithSimpleSchedule(s => s.WithInterval(options.Value.LeaseExpiryInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
                // The first run waits one interval: nodes starting together don't all run housekeeping at once.
                .StartAt(DateTimeOffset.UtcNow + options.Value.LeaseExpiryInterval)
                .Build(),
        };

        var existing = await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(JobGroups.Maintenance), cancellationToken);
        foreach (var stale in existing.Where(k => wanted.All(t => !t.Key.Equals(k))))
        {
            logger.LogInformation("Removing stale trigger {Trigger}", stale);
            await scheduler.UnscheduleJob(stale, cancellationToken);
        }
        foreach (var trigger in wanted)
        {
            // Replace only when the schedule changed; re-declaring an unchanged trigger would reset its next fire time.
            var current = await scheduler.GetTrigger(trigger.Key, cancellationToken);
            if (current is null)
                await scheduler.ScheduleJob(trigger, new ScheduleJobOptions(), cancellationToken);
            else if (current is not ISimpleTrigger simple || trigger is not ISimpleTrigger want || simple.RepeatInterval != want.RepeatInterval)
                await scheduler.RescheduleJob(trigger.Key, trigger, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
