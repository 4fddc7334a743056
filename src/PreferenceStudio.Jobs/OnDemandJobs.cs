namespace PreferenceStudio.Jobs;

/// <summary>Jobs run once for one record (an export, a training run), whose id is the job's argument.</summary>
public static class OnDemandJobs
{
    /// <summary>
    /// Hands the record's job to Hangfire: its job id, or, when the job store cannot take it, the error to record
    /// on the record, so a request that never reached a worker does not wait for ever as "queued".
    /// </summary>
    public static (string? JobId, string? Error) TryEnqueue(Func<string> enqueue)
    {
        ArgumentNullException.ThrowIfNull(enqueue);
        try
        {
            return (enqueue(), null);
        }
        catch (Exception ex) when (ex is Hangfire.BackgroundJobClientException or InvalidOperationException or Npgsql.NpgsqlException)
        {
            return (null, $"Could not be queued: {ex.Message}");
        }
    }
}
