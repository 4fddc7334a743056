using System.Globalization;
using System.Text;
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

    /// <summary>The job's return value as Hangfire keeps it (JSON) in its Succeeded state, or null.</summary>
    public static string? Result(JobStorage storage, string jobId) =>
        States(storage, jobId).LastOrDefault(s => s.StateName == "Succeeded")?.Data.TryGetValue("Result", out var result) == true ? result : null;

    public static async Task<string> WaitForStateAsync(JobStorage storage, string jobId, string[] states, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline)
        {
            if (CurrentState(storage, jobId) is { } state && states.Contains(state))
                return state;
            await Task.Delay(200);
        }
        throw new TimeoutException($"Job {jobId} did not reach {string.Join("/", states)} within {patience}; it is {CurrentState(storage, jobId) ?? "unknown"}.\n{Describe(storage, jobId)}");
    }

    /// <summary>Waits for the job to end and asserts that it succeeded; a failure says why, from Hangfire's own record.</summary>
    public static async Task WaitForSuccessAsync(JobStorage storage, string jobId, TimeSpan patience)
    {
        var state = await WaitForStateAsync(storage, jobId, ["Failed", "Succeeded"], patience);
        state.ShouldBe("Succeeded", $"job {jobId} failed; its history:\n{Describe(storage, jobId)}");
    }

    /// <summary>
    /// The job's history, one line per state with the server and worker that wrote it, and a failure's exception with
    /// its stack (Hangfire's FailedState data): what a failed test needs to say why the job failed and where.
    /// </summary>
    public static string Describe(JobStorage storage, string jobId)
    {
        var text = new StringBuilder();
        foreach (var state in States(storage, jobId))
        {
            var data = state.Data is null ? [] : new Dictionary<string, string>(state.Data);
            text.Append(CultureInfo.InvariantCulture, $"  {state.CreatedAt:HH:mm:ss.fff} {state.StateName}");
            if (!string.IsNullOrEmpty(state.Reason))
                text.Append(CultureInfo.InvariantCulture, $" ({state.Reason})");
            foreach (var key in new[] { "ServerId", "WorkerId" }.Where(data.ContainsKey))
                text.Append(CultureInfo.InvariantCulture, $" {key}={data[key]}");
            text.AppendLine();
            // ExceptionDetails is the exception's ToString(): type, message and stack.
            if (data.TryGetValue("ExceptionDetails", out var details) || data.TryGetValue("ExceptionMessage", out details))
                text.AppendLine(CultureInfo.InvariantCulture, $"    {details}");
        }
        return text.Length == 0 ? $"  (no history for job {jobId})" : text.ToString();
    }
}
