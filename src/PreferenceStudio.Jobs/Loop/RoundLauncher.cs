using Hangfire;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Training;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>
/// Starts a project's next loop round (by hand, on schedule, or when enough new labels came in) and cancels one.
/// A project runs at most one round at a time: the database's unique index on unfinished rounds decides a race.
/// </summary>
public sealed class RoundLauncher(PreferenceStudioDbContext db, IBackgroundJobClient jobs, TrainingLauncher runs, TimeProvider clock)
{
    public const string BySchedule = "schedule";
    public const string ByLabels = "labels";

    /// <summary>The queued round, or why none was started (each reason naming what is wrong).</summary>
    public async Task<(LoopRound? Round, IReadOnlyList<string> Errors)> StartAsync(int projectId, string startedBy, CancellationToken cancellationToken)
    {
        var settings = await db.LoopSettings.AsNoTracking().SingleOrDefaultAsync(s => s.ProjectId == projectId, cancellationToken);
        if (settings is null)
            return (null, [$"project: project {projectId} has no loop settings yet; choose its base policy and save them first"]);
        if (await UnfinishedAsync(projectId, cancellationToken) is { } running)
            return (null, [$"round: round {running.Number} is still {running.State}; a project runs one round at a time"]);

        var number = 1 + (await db.LoopRounds.Where(r => r.ProjectId == projectId).MaxAsync(r => (int?)r.Number, cancellationToken) ?? 0);
        var labels = await ProjectLabels.CountAsync(db, projectId, cancellationToken);
        var round = new LoopRound(projectId, number, LoopRoundSettings.From(settings).ToJson(), settings.PolicyId, settings.BasePolicyId,
            startedBy, labels, clock.GetUtcNow());
        db.LoopRounds.Add(round);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another start won the race between the check and the insert.
            db.Entry(round).State = EntityState.Detached;
            var winner = await UnfinishedAsync(projectId, cancellationToken);
            return (null, [$"round: round {winner?.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} was started a moment ago; a project runs one round at a time"]);
        }
        await EnqueueAsync(round, cancellationToken);
        return (round, []);
    }

    /// <summary>Hands the round's next stage to the training queue; a round the job store refuses fails with the reason.</summary>
    public async Task EnqueueAsync(LoopRound round, CancellationToken cancellationToken)
    {
        var (jobId, error) = OnDemandJobs.TryEnqueue(() =>
            jobs.Enqueue<RoundJob>(JobQueues.Training, j => j.RunAsync(round.Id, null, CancellationToken.None)));
        if (jobId is not null)
            round.AttachJob(jobId);
        else
            round.Fail(error!, clock.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>
    /// Marks an unfinished round cancelled, cancels the training run of its current stage, and deletes its job (a
    /// running stage sees its cancellation token fire). Tasks it gave people stay: their labels still count for the
    /// next reward model. False when the round is already finished or does not exist.
    /// </summary>
    public async Task<bool> CancelAsync(long roundId, CancellationToken cancellationToken)
    {
        var round = await db.LoopRounds.SingleOrDefaultAsync(r => r.Id == roundId, cancellationToken);
        if (round is null || round.IsFinished)
            return false;
        round.Cancel(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        if (round.Current?.RunId is { } runId)
            await runs.CancelAsync(runId, cancellationToken);
        if (round.JobId is not null)
            jobs.Delete(round.JobId);
        return true;
    }

    private Task<LoopRound?> UnfinishedAsync(int projectId, CancellationToken cancellationToken) =>
        db.LoopRounds.AsNoTracking()
            .Where(r => r.ProjectId == projectId && (r.State == RoundState.Queued || r.State == RoundState.Running || r.State == RoundState.WaitingForLabels))
            .SingleOrDefaultAsync(cancellationToken);
}
