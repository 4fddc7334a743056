using Hangfire.Server;
using Microsoft.Extensions.Logging;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs;

namespace PreferenceStudio.Integration.Tests.Jobs;

/// <summary>A job that writes something, then fails: its half-done write must not be saved.</summary>
public sealed class FailingJob(PreferenceStudioDbContext db, TimeProvider clock, ILogger<FailingJob> logger) : JobBase(db, clock, logger)
{
    public Task<string?> RunAsync(PerformContext? context, CancellationToken cancellationToken) =>
        RunAsync("always-fails", context, () =>
        {
            Db.ModelVersions.Add(new ModelVersion("half-made", ModelKind.Policy, "nowhere"));
            throw new InvalidOperationException("boom");
        });
}

/// <summary>A job whose first attempt meets a transient error (the database timing out), then succeeds.</summary>
public sealed class FlakyJob(PreferenceStudioDbContext db, TimeProvider clock, ILogger<FlakyJob> logger) : JobBase(db, clock, logger)
{
    public Task<string?> RunAsync(PerformContext? context, CancellationToken cancellationToken) =>
        RunAsync("flaky", context, () =>
        {
            if (context!.GetJobParameter<int>("RetryCount") == 0)
                throw new TimeoutException("the database did not answer in time");
            return Task.FromResult<string?>("second attempt went through");
        });
}
