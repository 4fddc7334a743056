using Hangfire.Server;
using Microsoft.Extensions.Logging;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs;

/// <summary>
/// Every job runs its work through <see cref="RunAsync"/>: it logs the start and the end, and on failure it drops the
/// half-done changes, records the reason on the job's own domain record (a training run, an export) so it shows on
/// that record's page, and only then lets Hangfire see the exception, so that Hangfire's history (the dashboard, the
/// admin page's recent failures) holds the failure too. Hangfire's retry is limited to <see cref="TransientJobException"/>
/// (<see cref="RetryTransient"/>): a transient database error is retried with its record left as it was,
/// any other failure ends the job at once.
/// </summary>
public abstract class JobBase(PreferenceStudioDbContext db, TimeProvider clock, ILogger logger)
{
    /// <summary>Attempts after the first for a transient failure; the last one records the failure like any other.</summary>
    public const int TransientRetries = 3;

    protected PreferenceStudioDbContext Db => db;
    protected TimeProvider Clock => clock;
    protected ILogger Logger => logger;

    /// <summary>Runs the job's work; returns its one-line summary, which Hangfire keeps as the job's result.</summary>
    protected async Task<string?> RunAsync(string job, PerformContext? context, Func<Task<string?>> work, Func<string, Task>? recordFailure = null)
    {
        var jobId = context?.BackgroundJob.Id;
        logger.LogInformation("Job {Job} ({JobId}) started", job, jobId);
        try
        {
            var result = await work();
            logger.LogInformation("Job {Job} ({JobId}) succeeded: {Result}", job, jobId, result);
            return result;
        }
        catch (OperationCanceledException) when (context?.CancellationToken.ShutdownToken.IsCancellationRequested == true)
        {
            // The worker is stopping: Hangfire puts the job back in its queue for another worker; nothing failed.
            logger.LogInformation("Job {Job} ({JobId}) interrupted by the worker's shutdown", job, jobId);
            throw;
        }
        catch (Exception error)
        {
            var attempt = context?.GetJobParameter<int>("RetryCount") ?? 0;
            if (TransientErrors.IsTransient(error) && attempt < TransientRetries)
            {
                logger.LogWarning(error, "Job {Job} ({JobId}) hit a transient error; Hangfire retries it (retry {Retry} of {Retries})",
                    job, jobId, attempt + 1, TransientRetries);
                db.ChangeTracker.Clear();
                throw new TransientJobException($"Transient failure, retried: {error.Message}", error);
            }
            logger.LogError(error, "Job {Job} ({JobId}) failed", job, jobId);
            await RecordFailureAsync(job, $"{error.GetType().Name}: {error.Message}", recordFailure);
            throw;
        }
    }

    private async Task RecordFailureAsync(string job, string reason, Func<string, Task>? recordFailure)
    {
        if (recordFailure is null)
            return;
        try
        {
            // The failed unit of work may have left half-made changes in the context; they must not be saved with the failure.
            db.ChangeTracker.Clear();
            await recordFailure(reason);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception recordError)
        {
            logger.LogError(recordError, "Could not record the failure of job {Job} on its record", job);
        }
    }
}
