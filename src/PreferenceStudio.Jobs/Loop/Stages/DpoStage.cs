using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Export;
using PreferenceStudio.Jobs.Training;

namespace PreferenceStudio.Jobs.Loop.Stages;

/// <summary>
/// (4) DPO from the round's policy on the round's pairs, against the round's reference, as a DPO run inside the round's
/// job: the run's snapshot is the round's pairs file, so it trains on those and not on the project's labels. The run
/// registers the new policy (origin Round, parent the round's policy); a resumed stage continues the run from its checkpoint.
/// </summary>
public sealed class DpoStage(
    PreferenceStudioDbContext db,
    InlineTrainingRun runner,
    IOptions<StorageOptions> storage,
    IHostEnvironment environment) : IRoundStage
{
    public RoundStageKind Kind => RoundStageKind.Dpo;

    public async Task<StageOutcome> RunAsync(LoopRound round, LoopRoundSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(settings);
        var runId = round.Current?.RunId ?? await StartRunAsync(round, settings, cancellationToken);
        var run = await runner.RunAsync<DpoModelJob>(runId, cancellationToken);
        var policy = await db.ModelVersions.SingleAsync(m => m.Id == run.OutputModelVersionId, cancellationToken);
        await RecordLabelsBehindAsync(round, policy, cancellationToken);
        round.RecordPolicy(policy.Id);
        round.ReportProgress(run.Step, run.TotalSteps);
        return StageOutcome.Finished(string.Create(CultureInfo.InvariantCulture,
            $"policy {policy.Id} from run {run.Id}: {run.TotalSteps} steps on {round.HumanPairs + round.RewardModelPairs} pairs"));
    }

    private string Store(string relative) => storage.Value.Resolve(environment.ContentRootPath, relative);

    /// <summary>
    /// The run, its snapshot (the round's pairs and their label counts) and the stage's link to it. The snapshot is in
    /// place before the run is stored, so the run never takes the project's pairs instead.
    /// </summary>
    private async Task<long> StartRunAsync(LoopRound round, LoopRoundSettings settings, CancellationToken cancellationToken)
    {
        var pairsFile = Store(RoundFiles.Pairs(round.Id));
        var pairs = File.Exists(pairsFile) ? File.ReadLines(pairsFile).Count(line => !string.IsNullOrWhiteSpace(line)) : 0;
        if (pairs < 2)
            throw new InvalidOperationException(
                $"Round {round.Number} made {pairs} preference pair(s); DPO needs at least 2. Label the round's tasks, or train a reward model on 2 or more labelled pairs first.");

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var run = new TrainingRun(TrainingKind.Dpo, settings.Dpo.ToJson(), $"round {round.Number}", round.ProjectId, round.PolicyId, round.Id);
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        var runFolder = Store($"runs/{run.Id.ToString(CultureInfo.InvariantCulture)}");
        Directory.CreateDirectory(runFolder);
        File.Copy(Store(RoundFiles.PairCounts(round.Id)), Path.Combine(runFolder, PreferenceRunJob.PairCountsFile), overwrite: true);
        // Copied aside, then renamed: the run's job takes a dataset.jsonl it finds as its whole snapshot.
        var partial = Path.Combine(runFolder, "dataset.jsonl.part");
        File.Copy(pairsFile, partial, overwrite: true);
        File.Move(partial, Path.Combine(runFolder, "dataset.jsonl"), overwrite: true);
        round.AttachRun(run.Id);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await db.Database.NotifyRoundChangedAsync(round.Id, CancellationToken.None);
        return run.Id;
    }

    /// <summary>
    /// The run counted the labels behind the human pairs; the reward-model pairs carry the labels the reward model saw.
    /// The new policy records both, so "a label after the newest had no part in this policy" holds.
    /// </summary>
    private async Task RecordLabelsBehindAsync(LoopRound round, ModelVersion policy, CancellationToken cancellationToken)
    {
        var counts = PairCounts.FromJson(await File.ReadAllTextAsync(Store(RoundFiles.PairCounts(round.Id)), cancellationToken));
        var (labels, newest) = (counts.Labels, counts.NewestLabelAt);
        if (round.RewardModelPairs > 0 && round.RewardModelId is { } rewardModelId
            && await db.ModelVersions.AsNoTracking().SingleAsync(m => m.Id == rewardModelId, cancellationToken) is { LabelsSeen: { } seen } rewardModel)
        {
            labels += seen;
            if (rewardModel.NewestLabelAt > newest || newest is null)
                newest = rewardModel.NewestLabelAt;
        }
        if (labels > 0)
            policy.RecordLabelsSeen(labels, newest);
    }
}
