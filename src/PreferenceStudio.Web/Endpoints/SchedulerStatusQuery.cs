using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Jobs;
using PreferenceStudio.Data;
using Quartz;

namespace PreferenceStudio.Web.Endpoints;

public sealed record SchedulerNode(string InstanceId, DateTimeOffset LastCheckin, TimeSpan CheckinInterval, bool IsAlive);
public sealed record ScheduledTrigger(string Trigger, string Job, string State, DateTimeOffset? NextFire, DateTimeOffset? PreviousFire);
public sealed record RunningJob(string Job, string Node, DateTimeOffset FiredAt);
public sealed record RecentExecution(long Id, string Job, string Node, bool IsRecovery, JobExecutionState State, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? Result, string? Error);
public sealed record SchedulerStatus(IReadOnlyList<SchedulerNode> Nodes, IReadOnlyList<ScheduledTrigger> Triggers, IReadOnlyList<RunningJob> Running, IReadOnlyList<RecentExecution> Recent);

/// <summary>
/// Reads the cluster's state straight from Quartz's tables: every node's view is the same there,
/// whereas a scheduler object only knows what runs on its own node.
/// </summary>
public sealed class SchedulerStatusQuery(PreferenceStudioDbContext db, ISchedulerFactory schedulers, TimeProvider clock)
{
    public async Task<SchedulerStatus> GetAsync(CancellationToken cancellationToken)
    {
        // Building the scheduler provisions Quartz's tables on a fresh database.
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var name = scheduler.SchedulerName;
        var now = clock.GetUtcNow();

        var nodes = await db.Database.SqlQuery<NodeRow>(
                $"SELECT instance_name, last_checkin_time AS last_checkin, checkin_interval FROM qrtz_scheduler_state WHERE sched_name = {name} ORDER BY instance_name")
            .ToListAsync(cancellationToken);
        var triggers = await db.Database.SqlQuery<TriggerRow>(
                $"SELECT trigger_group || '.' || trigger_name AS trigger, job_group || '.' || job_name AS job, trigger_state AS state, next_fire_time AS next_fire, prev_fire_time AS previous_fire FROM qrtz_triggers WHERE sched_name = {name} ORDER BY next_fire_time")
            .ToListAsync(cancellationToken);
        var running = await db.Database.SqlQuery<FiredRow>(
                $"SELECT job_group || '.' || job_name AS job, instance_name AS node, fired_time AS fired_at FROM qrtz_fired_triggers WHERE sched_name = {name} AND state = 'EXECUTING' ORDER BY fired_time")
            .ToListAsync(cancellationToken);
        var recent = await db.JobExecutions.AsNoTracking().OrderByDescending(j => j.StartedAt).Take(25)
            .Select(j => new RecentExecution(j.Id, j.JobGroup + "." + j.JobName, j.Node, j.IsRecovery, j.State, j.StartedAt, j.FinishedAt, j.Result, j.Error))
            .ToListAsync(cancellationToken);

        return new SchedulerStatus(
            nodes.Select(n =>
            {
                var interval = TimeSpan.FromMilliseconds(n.CheckinInterval);
                var last = FromQuartzTicks(n.LastCheckin)!.Value;
                return new SchedulerNode(n.InstanceName, last, interval, now - last < interval * 3);
            }).ToList(),
            triggers.Select(t => new ScheduledTrigger(t.Trigger, t.Job, t.State, FromQuartzTicks(t.NextFire), FromQuartzTicks(t.PreviousFire))).ToList(),
            running.Select(r => new RunningJob(r.Job, r.Node, FromQuartzTicks(r.FiredAt)!.Value)).ToList(),
            recent);
    }

    // Columns are aliased in snake_case: raw queries map to records through the same naming convention as the model.
    // Quartz.NET stores instants as UTC ticks.
    private static DateTimeOffset? FromQuartzTicks(long? ticks) =>
        ticks is > 0 ? new DateTimeOffset(ticks.Value, TimeSpan.Zero) : null;

    private sealed record NodeRow(string InstanceName, long LastCheckin, long CheckinInterval);
    private sealed record TriggerRow(string Trigger, string Job, string State, long? NextFire, long? PreviousFire);
    private sealed record FiredRow(string Job, string Node, long FiredAt);
}
