using Hangfire;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>
/// Fired by a project's loop cron (<see cref="LoopSettingsStore"/>): starts the project's next round unless the loop
/// was turned off or a round is still going, so a slow round never piles up copies of itself.
/// </summary>
public sealed class ScheduledRoundJob(PreferenceStudioDbContext db, TimeProvider clock, ILogger<ScheduledRoundJob> logger, RoundLauncher launcher)
    : JobBase(db, clock, logger)
{
    public const string Name = "loop-schedule";

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task<string?> RunAsync(int projectId, PerformContext? context, CancellationToken cancellationToken) =>
        RunAsync(Name, context, () => StartAsync(projectId, cancellationToken));

    private async Task<string?> StartAsync(int projectId, CancellationToken cancellationToken)
    {
        var settings = await Db.LoopSettings.AsNoTracking().SingleOrDefaultAsync(s => s.ProjectId == projectId, cancellationToken);
        if (settings is not { Enabled: true })
            return $"project {projectId}'s loop is off";
        var (round, errors) = await launcher.StartAsync(projectId, RoundLauncher.BySchedule, cancellationToken);
        return round is null ? $"skipped: {string.Join("; ", errors)}" : $"started round {round.Number}";
    }
}
