using Hangfire;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>
/// Every minute (<see cref="MaintenanceSchedule"/>): starts a round for each project whose loop is on with "every N new
/// labels" set, once N labels came in since its last round started (since 0 before the first), unless a round is going.
/// </summary>
public sealed class LoopLabelTriggerJob(PreferenceStudioDbContext db, TimeProvider clock, ILogger<LoopLabelTriggerJob> logger, RoundLauncher launcher)
    : JobBase(db, clock, logger)
{
    public const string Name = "loop-label-trigger";
    public const string RecurringId = "loop-label-trigger";

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task<string?> RunAsync(PerformContext? context, CancellationToken cancellationToken) =>
        RunAsync(Name, context, () => TriggerAsync(cancellationToken));

    private async Task<string?> TriggerAsync(CancellationToken cancellationToken)
    {
        var loops = await Db.LoopSettings.AsNoTracking().Where(s => s.Enabled && s.EveryNewLabels != null).ToListAsync(cancellationToken);
        var started = new List<string>();
        foreach (var loop in loops)
        {
            var last = await Db.LoopRounds.AsNoTracking().Where(r => r.ProjectId == loop.ProjectId).OrderByDescending(r => r.Number)
                .Select(r => new { r.LabelsAtStart, r.State }).FirstOrDefaultAsync(cancellationToken);
            if (last is { State: RoundState.Queued or RoundState.Running or RoundState.WaitingForLabels })
                continue;
            var labels = await ProjectLabels.CountAsync(Db, loop.ProjectId, cancellationToken);
            if (labels - (last?.LabelsAtStart ?? 0) < loop.EveryNewLabels)
                continue;
            var (round, errors) = await launcher.StartAsync(loop.ProjectId, RoundLauncher.ByLabels, cancellationToken);
            started.Add(round is null ? $"project {loop.ProjectId}: skipped ({string.Join("; ", errors)})" : $"project {loop.ProjectId}: round {round.Number}");
        }
        return started.Count == 0 ? $"no loop due among {loops.Count}" : string.Join(", ", started);
    }
}
