using Hangfire;

namespace PreferenceStudio.Jobs;

/// <summary>
/// Replaces Hangfire's default retry (ten attempts on any exception) for every job: retry only a
/// <see cref="TransientJobException"/>, at most <see cref="JobBase.TransientRetries"/> times, after 5 s, 30 s and 2 min.
/// </summary>
public static class RetryTransient
{
    private static readonly Lock Gate = new();

    /// <summary>Idempotent; Hangfire's filters are process-wide, and a test process builds several hosts at once.</summary>
    public static void Apply()
    {
        using var _ = Gate.EnterScope();
        var filters = GlobalJobFilters.Filters;
        foreach (var existing in filters.Where(f => f.Instance is AutomaticRetryAttribute).ToList())
            filters.Remove(existing.Instance);
        filters.Add(new AutomaticRetryAttribute
        {
            Attempts = JobBase.TransientRetries,
            OnlyOn = [typeof(TransientJobException)],
            DelaysInSeconds = [5, 30, 120],
        });
    }
}
