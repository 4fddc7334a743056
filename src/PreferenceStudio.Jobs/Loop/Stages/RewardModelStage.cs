using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Export;
using PreferenceStudio.Jobs.Training;

namespace PreferenceStudio.Jobs.Loop.Stages;

/// <summary>
/// (1) Refreshes the reward model on every label so far: a reward-model run on the loop's base policy as backbone, run
/// inside the round's job (its curves, checkpoints and resume are the run's). A resumed stage continues its run. With
/// fewer than 2 pairs in the project it trains nothing, and the round uses the last reward model an earlier round made.
/// A PPO loop whose reward mixes in a span or principle reward model has those retrained here too
/// (<see cref="FineGrainedRewardRefresh"/>), after the scalar one.
/// </summary>
public sealed class RewardModelStage(PreferenceStudioDbContext db, InlineTrainingRun runner, FineGrainedRewardRefresh fineGrained) : IRoundStage
{
    public const string HeldOutAccuracy = "eval_rewards/accuracies";

    public RoundStageKind Kind => RoundStageKind.RewardModel;

    public async Task<StageOutcome> RunAsync(LoopRound round, LoopRoundSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(settings);
        var scalar = await RefreshScalarAsync(round, settings, cancellationToken);
        if (settings is not { Trainer: PolicyTrainer.Ppo, Ppo.Reward: { } reward })
            return StageOutcome.Finished(scalar);
        var made = await fineGrained.RunAsync(round, reward, cancellationToken);
        return StageOutcome.Finished(string.Join("; ", made.Prepend(scalar)));
    }

    /// <summary>The scalar reward model's refresh; what it did, for the stage's summary.</summary>
    private async Task<string> RefreshScalarAsync(LoopRound round, LoopRoundSettings settings, CancellationToken cancellationToken)
    {
        var runId = round.Current?.RunId;
        if (runId is null)
        {
            var pairs = await CountPairsAsync(round.ProjectId, cancellationToken);
            if (pairs < 2)
                return await SkipAsync(round, pairs, cancellationToken);
            runId = await StartRunAsync(round, settings, cancellationToken);
        }

        var run = await runner.RunAsync<RewardModelJob>(runId.Value, cancellationToken);
        var accuracy = await db.RunMetrics.AsNoTracking().Where(m => m.RunId == run.Id && m.Key == HeldOutAccuracy)
            .OrderByDescending(m => m.Step).Select(m => (double?)m.Value).FirstOrDefaultAsync(cancellationToken);
        round.RecordRewardModel(run.OutputModelVersionId!.Value, accuracy);
        round.ReportProgress(run.Step, run.TotalSteps);
        var shown = accuracy is { } a ? a.ToString("0.000", CultureInfo.InvariantCulture) : "n/a (no held-out pairs)";
        return $"reward model {run.OutputModelVersionId} from run {run.Id}: {run.TotalSteps} steps, held-out accuracy {shown}";
    }

    /// <summary>The run and the stage's link to it are stored together, so a resumed stage never starts a second run.</summary>
    private async Task<long> StartRunAsync(LoopRound round, LoopRoundSettings settings, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var run = new TrainingRun(TrainingKind.RewardModel, settings.Reward.ToJson(), $"round {round.Number}", round.ProjectId, round.BasePolicyId, round.Id);
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        round.AttachRun(run.Id);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await db.Database.NotifyRoundChangedAsync(round.Id, CancellationToken.None);
        return run.Id;
    }

    /// <summary>The project's preference pairs, counted as far as 2: all a reward model needs to start.</summary>
    private async Task<int> CountPairsAsync(int projectId, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var _ in new PreferencePairSource(db).ReadAsync(projectId, cancellationToken))
            if (++count >= 2)
                break;
        return count;
    }

    private async Task<string> SkipAsync(LoopRound round, int pairs, CancellationToken cancellationToken)
    {
        var earlier = await db.LoopRounds.AsNoTracking()
            .Where(r => r.ProjectId == round.ProjectId && r.Number < round.Number && r.RewardModelId != null)
            .OrderByDescending(r => r.Number).Select(r => new { r.Number, r.RewardModelId }).FirstOrDefaultAsync(cancellationToken);
        if (earlier is not null)
            round.RecordRewardModel(earlier.RewardModelId!.Value, heldOutAccuracy: null);
        var ranking = earlier is null
            ? "no reward model yet: the people's labels alone make the round's pairs"
            : $"round {earlier.Number}'s reward model {earlier.RewardModelId} ranks the samples";
        return $"reward model skipped: {pairs} preference pair(s) in the project, a reward model needs at least 2; {ranking}";
    }
}
