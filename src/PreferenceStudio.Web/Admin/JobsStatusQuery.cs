using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;

namespace PreferenceStudio.Web.Admin;

public sealed record JobServer(string Name, IReadOnlyList<string> Queues, int Workers, DateTime StartedAt, DateTime? Heartbeat);
public sealed record JobQueue(string Name, long Enqueued, long Fetched);
public sealed record RecurringJobRow(string Id, string Cron, string Queue, string Job, DateTime? NextExecution, DateTime? LastExecution, string? LastState, string? Error);
public sealed record ProcessingJob(string Id, string Job, string Server, DateTime? StartedAt);
public sealed record FailedJob(string Id, string Job, DateTime? FailedAt, string? Reason);
public sealed record JobsStatus(IReadOnlyList<JobServer> Servers, IReadOnlyList<JobQueue> Queues, IReadOnlyList<RecurringJobRow> Recurring,
    IReadOnlyList<ProcessingJob> Processing, IReadOnlyList<FailedJob> RecentFailures);

/// <summary>
/// The cluster as Hangfire's monitoring API sees it in PostgreSQL: every web node shows the same servers, queues,
/// recurring jobs and failures, whichever worker ran what. The dashboard at /admin/hangfire has the rest.
/// </summary>
public sealed class JobsStatusQuery(JobStorage storage)
{
    public const int RecentFailureCount = 10;

    public JobsStatus Get()
    {
        var monitoring = storage.GetMonitoringApi();
        using var connection = storage.GetConnection();
        return new JobsStatus(
            monitoring.Servers().OrderBy(s => s.Name, StringComparer.Ordinal)
                .Select(s => new JobServer(s.Name, [.. s.Queues], s.WorkersCount, s.StartedAt, s.Heartbeat)).ToList(),
            monitoring.Queues().Select(q => new JobQueue(q.Name, q.Length, q.Fetched ?? 0)).ToList(),
            connection.GetRecurringJobs().OrderBy(r => r.Id, StringComparer.Ordinal)
                .Select(r => new RecurringJobRow(r.Id, r.Cron, r.Queue, Describe(r.Job), r.NextExecution, r.LastExecution, r.LastJobState, r.Error)).ToList(),
            monitoring.ProcessingJobs(0, 50).Select(p => new ProcessingJob(p.Key, Describe(p.Value.Job), p.Value.ServerId, p.Value.StartedAt)).ToList(),
            monitoring.FailedJobs(0, RecentFailureCount).Select(f => new FailedJob(f.Key, Describe(f.Value.Job), f.Value.FailedAt,
                f.Value.ExceptionMessage is { } message ? $"{ShortType(f.Value.ExceptionType)}: {message}" : f.Value.Reason)).ToList());
    }

    /// <summary>A job as "ExpireLeasesJob.RunAsync"; a job whose class this version no longer has says so.</summary>
    private static string Describe(Job? job) => job is null ? "(a job this version does not know)" : $"{job.Type.Name}.{job.Method.Name}";

    private static string ShortType(string? type) => type is null ? "Error" : type[(type.LastIndexOf('.') + 1)..];
}
