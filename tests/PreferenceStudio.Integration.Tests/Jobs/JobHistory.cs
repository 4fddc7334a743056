using Hangfire;
using Hangfire.Storage.Monitoring;

namespace PreferenceStudio.Integration.Tests.Jobs;

/// <summary>What Hangfire recorded about a job, read through its monitoring API: the one execution record there is.</summary>
internal static class JobHistory
{
    /// <summary>The job's states, oldest first (Enqueued, Processing, Succeeded, ...).</summary>
    public static IReadOnlyList<StateHistoryDto> States(JobStorage storage, string jobId) =>
        storage.GetMonitoringApi().JobDetails(jobId)?.History.AsEnumerable().Reverse().ToList() ?? [];

    public static string? CurrentState(JobStorage storage, string jobId) =>
        storage.GetConnection().GetStateData(jobId)?.Name;

    /// <summary>The servers that took the job, one entry per Processing state, in order.</summary>
    public static IReadOnlyList<string> ProcessedBy(JobStorage storage, string jobId) =>
        States(storage, jobId).Where(s => s.StateName == "Processing").Select(s => s.Data["ServerId"]).ToList();

    public static async Task<string> WaitForStateAsync(JobStorage storage, string jobId, string[] states, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline)
        {
            if (CurrentState(storage, jobId) is { } state && states.Contains(state))
                return state;
            await Task.Delay(200);
        }
        throw new TimeoutException($"Job {jobId} did not reach {string.Join("/", states)} within {patience}; it is {CurrentState(storage, jobId) ?? "unknown"}.");
    }
}
