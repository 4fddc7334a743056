using Hangfire.Server;
using Microsoft.Extensions.Logging;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>
/// Runs a round's next stage on the training queue, records what it made, and enqueues the stage after it.
/// (Skeleton: the stages are being built.)
/// </summary>
public sealed class RoundJob(PreferenceStudioDbContext db, TimeProvider clock, ILogger<RoundJob> logger)
    : JobBase(db, clock, logger)
{
    public const string Name = "loop-round";

    public Task<string?> RunAsync(long roundId, PerformContext? context, CancellationToken cancellationToken) =>
        RunAsync(Name, context, () => Task.FromResult<string?>($"round {roundId}: stages not built yet"));
}
