using Microsoft.Extensions.Logging;
using PreferenceStudio.Data;
using Quartz;

namespace PreferenceStudio.Jobs;

/// <summary>
/// A fire drill for the cluster: it holds a worker for the given number of seconds, so an operator can stop
/// that node mid-run and watch another node recover the job (it asks for recovery like the training jobs do).
/// </summary>
public sealed class ClusterDrillJob(PreferenceStudioDbContext db, TimeProvider clock, ILogger<ClusterDrillJob> logger)
    : JobBase(db, clock, logger)
{
    public static readonly JobKey Key = new("cluster-drill", JobGroups.OnDemand);
    public const string SecondsKey = "seconds";
    public const int DefaultSeconds = 30;

    protected override async Task<string?> RunAsync(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var seconds = context.MergedJobDataMap.TryGetValue(SecondsKey, out var value) && value is not null
            ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)
            : DefaultSeconds;
        if (seconds is < 1 or > 3600)
            throw new ArgumentOutOfRangeException(nameof(context), $"A drill lasts 1 to 3600 seconds, got {seconds}.");
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        return $"held {context.Scheduler.SchedulerInstanceId} for {seconds} s";
    }
}
