using System.Globalization;
using Quartz;

namespace PreferenceStudio.Jobs;

/// <summary>Jobs run once for one record (an export, a training run), whose id travels in the trigger's data.</summary>
public static class OnDemandJobs
{
    /// <summary>Hands the record's job to the cluster; the error to record on it when the cluster cannot take it, else null.</summary>
    public static async Task<string?> TriggerAsync(ISchedulerFactory schedulers, JobKey job, string idKey, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedulers);
        try
        {
            var scheduler = await schedulers.GetScheduler(cancellationToken);
            await scheduler.TriggerJob(job, new JobDataMap { [idKey] = id.ToString(CultureInfo.InvariantCulture) }, cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is SchedulerException or InvalidOperationException)
        {
            // A request that never reaches the cluster must not wait for ever as "queued".
            return $"Could not be scheduled: {ex.Message}";
        }
    }

    /// <summary>The record's id that <see cref="TriggerAsync"/> put in the trigger.</summary>
    public static long RecordId(IJobExecutionContext context, string idKey)
    {
        ArgumentNullException.ThrowIfNull(context);
        return long.Parse(context.MergedJobDataMap.GetString(idKey) ?? throw new InvalidOperationException($"The trigger carries no {idKey}."),
            CultureInfo.InvariantCulture);
    }
}
