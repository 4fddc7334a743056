using Microsoft.Extensions.Logging;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs;
using Quartz;

namespace PreferenceStudio.Integration.Tests.Jobs;

/// <summary>A job that writes something, then fails: its half-done write must not be saved.</summary>
public sealed class FailingJob(PreferenceStudioDbContext db, TimeProvider clock, ILogger<FailingJob> logger) : JobBase(db, clock, logger)
{
    public static readonly JobKey Key = new("always-fails", "test");

    protected override Task<string?> RunAsync(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        Db.ModelVersions.Add(new ModelVersion("half-made", ModelKind.Policy, "nowhere"));
        throw new InvalidOperationException("boom");
    }
}
