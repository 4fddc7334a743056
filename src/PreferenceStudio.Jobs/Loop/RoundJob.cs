using Hangfire;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>
/// Runs a round's next stage on the training queue and records what it made, then hands the stage after it to the
/// queue as a job of its own, so each stage shows in Hangfire's history and a worker that dies loses one stage's work
/// at most (less: the stages resume). A stage that waits (for people's labels) is run again after the delay it asks
/// for. A researcher's cancel deletes the job, which fires its cancellation token.
/// </summary>
public sealed class RoundJob(
    PreferenceStudioDbContext db,
    TimeProvider clock,
    ILogger<RoundJob> logger,
    IEnumerable<IRoundStage> stages,
    RoundLauncher launcher,
    IBackgroundJobClient jobs,
    RoundJobContext jobContext)
    : JobBase(db, clock, logger)
{
    public const string Name = "loop-round";

    public async Task<string?> RunAsync(long roundId, PerformContext? context, CancellationToken cancellationToken)
    {
        jobContext.Current = context;
        try
        {
            return await RunAsync(Name, context, () => RunNextStageAsync(roundId, cancellationToken), async reason =>
            {
                if (await Db.LoopRounds.FindAsync(roundId) is { IsFinished: false } round)
                    round.Fail(reason, Clock.GetUtcNow());
            });
        }
        finally
        {
            await NotifyQuietlyAsync(roundId);
        }
    }

    private async Task<string?> RunNextStageAsync(long roundId, CancellationToken cancellationToken)
    {
        var round = await Db.LoopRounds.SingleOrDefaultAsync(r => r.Id == roundId, cancellationToken)
            ?? throw new InvalidOperationException($"Loop round {roundId} does not exist.");
        if (round.IsFinished)
            return $"round {round.Number} is already {round.State}";
        if (round.NextStage is not { } kind)
            throw new InvalidOperationException($"Round {round.Number} has run every stage but is {round.State}.");
        var stage = stages.SingleOrDefault(s => s.Kind == kind)
            ?? throw new InvalidOperationException($"No stage {kind} is registered.");
        var settings = LoopRoundSettings.FromJson(round.SettingsJson);
        if (round.Current?.Kind != kind || round.Current.IsFinished)
        {
            round.EnterStage(kind, Clock.GetUtcNow());
            await SaveAndNotifyAsync(round, cancellationToken);
        }

        StageOutcome outcome;
        try
        {
            outcome = await stage.RunAsync(round, settings, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The token fires for a researcher's cancel and for the worker's shutdown; only the first ends the round.
            if (!await IsCancelledAsync(round.Id))
                throw;
            return $"round {round.Number} cancelled in its {kind} stage";
        }
        if (outcome.CheckAgainIn is { } delay)
        {
            // Waiting costs no worker: this job ends, and a scheduled one looks again later.
            round.AttachJob(jobs.Schedule<RoundJob>(JobQueues.Training, j => j.RunAsync(round.Id, null, CancellationToken.None), delay));
            await SaveAndNotifyAsync(round, CancellationToken.None);
            return $"round {round.Number}: {kind} waits, looks again in {delay}";
        }
        round.FinishStage(outcome.Summary ?? kind.ToString(), Clock.GetUtcNow());
        if (kind == RoundStageKind.Evaluate)
        {
            round.Succeed(Clock.GetUtcNow());
            await SaveAndNotifyAsync(round, CancellationToken.None);
            return $"round {round.Number} done: policy {round.OutputPolicyId}";
        }
        await SaveAndNotifyAsync(round, CancellationToken.None);
        await launcher.EnqueueAsync(round, CancellationToken.None);
        return $"round {round.Number}: {kind} done ({outcome.Summary})";
    }

    private async Task SaveAndNotifyAsync(LoopRound round, CancellationToken cancellationToken)
    {
        await Db.SaveChangesAsync(cancellationToken);
        await NotifyQuietlyAsync(round.Id);
    }

    private async Task NotifyQuietlyAsync(long roundId)
    {
        try
        {
            await Db.Database.NotifyRoundChangedAsync(roundId, CancellationToken.None);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // A page that misses this shows the round's change on its next poll; the job's outcome must not change for it.
            Logger.LogWarning(error, "Could not announce a change of round {Round}", roundId);
        }
    }

    private Task<bool> IsCancelledAsync(long roundId) =>
        Db.LoopRounds.AsNoTracking().Where(r => r.Id == roundId).Select(r => r.State == RoundState.Cancelled).SingleAsync();
}
