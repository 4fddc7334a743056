using Hangfire.Server;
using Microsoft.Extensions.Logging;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs;

/// <summary>
/// A fire drill for the cluster: it holds a worker for the given number of seconds, so an operator can stop that
/// worker mid-run and watch another one take the job over once its invisibility timeout has passed.
/// </summary>
public sealed class ClusterDrillJob(PreferenceStudioDbContext db, TimeProvider clock, ILogger<ClusterDrillJob> logger, JobNode node)
    : JobBase(db, clock, logger)
{
    public const string Name = "cluster-drill";
    public const int DefaultSeconds = 30;

    public Task<string?> RunAsync(int seconds, PerformContext? context, CancellationToken cancellationToken) =>
        RunAsync(Name, context, async () =>
        {
            if (seconds is < 1 or > 3600)
                throw new ArgumentOutOfRangeException(nameof(seconds), $"A drill lasts 1 to 3600 seconds, got {seconds}.");
            await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
            return $"held {node.Name} for {seconds} s";
        });
}
