using Hangfire;
using PreferenceStudio.Jobs;

namespace PreferenceStudio.Web.Admin;

/// <summary>What an administrator started by hand: the job's name, and the Hangfire id when a new job was made.</summary>
public sealed record TriggeredJob(string Job, string? JobId);

/// <summary>
/// Starts one run of a job now, for the jobs page and the JSON API alike; whichever worker listening to its queue is
/// free takes it.
/// </summary>
public sealed class JobTriggers(IRecurringJobManager recurring, IBackgroundJobClient jobs)
{
    /// <summary>Jobs an administrator may start by hand.</summary>
    public static readonly IReadOnlyList<string> Names = [ExpireLeasesJob.RecurringId, FileCleanupJob.RecurringId, ClusterDrillJob.Name];

    /// <summary>The job started, or null when no job of that name may be started by hand.</summary>
    public TriggeredJob? Trigger(string name)
    {
        switch (name)
        {
            case ExpireLeasesJob.RecurringId or FileCleanupJob.RecurringId:
                recurring.Trigger(name);
                return new TriggeredJob(name, null);
            case ClusterDrillJob.Name:
                var id = jobs.Enqueue<ClusterDrillJob>(JobQueues.Default, j => j.RunAsync(ClusterDrillJob.DefaultSeconds, null, CancellationToken.None));
                return new TriggeredJob(name, id);
            default:
                return null;
        }
    }
}
