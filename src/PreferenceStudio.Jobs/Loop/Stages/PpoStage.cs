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
/// (4, with PPO chosen) PPO from the round's policy on the round's prompts (those the sample stage answered), with the
/// round's reward models (the scalar one, and the span and principle ones the loop's PPO settings name, each retrained
/// by stage 1 on every label so far) mixed as the settings weigh them, against the round's reference, as a PPO run
/// inside the round's job.
/// The run's snapshot is the round's prompts, put in its folder before the run is stored. The run registers the new
/// policy (origin Round, parent the round's policy); a resumed stage continues the run from its checkpoint. The round's
/// pairs still matter: the people's labels of them refresh the next round's reward model.
/// </summary>
public sealed class PpoStage(
    PreferenceStudioDbContext db,
    InlineTrainingRun runner,
    IOptions<StorageOptions> storage,
    IHostEnvironment environment)
{
    public async Task<StageOutcome> RunAsync(LoopRound round, LoopRoundSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(settings);
        var runId = round.Current?.RunId ?? await StartRunAsync(round, settings, cancellationToken);
        var run = await runner.RunAsync<PpoModelJob>(runId, cancellationToken);
        var policy = await db.ModelVersions.AsNoTracking().SingleAsync(m => m.Id == run.OutputModelVersionId, cancellationToken);
        round.RecordPolicy(policy.Id);
        round.ReportProgress(run.Step, run.TotalSteps);
        var heldOut = await db.RunMetrics.AsNoTracking()
            .Where(m => m.RunId == run.Id && (m.Key == PpoModelJob.HeldOutReferenceScore || m.Key == PpoModelJob.HeldOutScore))
            .ToDictionaryAsync(m => m.Key, m => m.Value, cancellationToken);
        var measured = heldOut.TryGetValue(PpoModelJob.HeldOutReferenceScore, out var before) && heldOut.TryGetValue(PpoModelJob.HeldOutScore, out var after)
            ? string.Create(CultureInfo.InvariantCulture, $", held-out reward {before:0.000} → {after:0.000}")
            : "";
        return StageOutcome.Finished(string.Create(CultureInfo.InvariantCulture,
            $"PPO: policy {policy.Id} from run {run.Id}: {run.TotalSteps} iterations on the round's prompts, rewards from {Sources(run)}{measured}"));
    }

    private static string Sources(TrainingRun run)
    {
        var reward = PpoRunConfig.FromJson(run.ConfigJson).Reward;
        var named = new[] { ("reward model", reward.RewardModelId), ("span reward model", reward.SpanModelId), ("principle reward model", reward.PrincipleModelId) };
        return string.Join(", ", named.Where(n => n.Item2 is not null).Select(n => $"{n.Item1} {n.Item2}"));
    }

    private string Store(string relative) => storage.Value.Resolve(environment.ContentRootPath, relative);

    /// <summary>The run, its snapshot (the round's prompts and the labels behind its reward) and the stage's link to it, stored together.</summary>
    private async Task<long> StartRunAsync(LoopRound round, LoopRoundSettings settings, CancellationToken cancellationToken)
    {
        var ppo = settings.Ppo ?? new PpoRunConfig();
        // The round's own reward models stand in for those the settings name: retrained by stage 1 on every label so far.
        var reward = ppo.Reward with
        {
            RewardModelId = round.RewardModelId,
            SpanModelId = round.SpanRewardModelId ?? ppo.Reward.SpanModelId,
            PrincipleModelId = round.PrincipleRewardModelId ?? ppo.Reward.PrincipleModelId,
        };
        if (!reward.HasSource)
            throw new InvalidOperationException(
                $"Round {round.Number} has no reward model, and PPO learns from one. Label at least 2 preference pairs so the round's first stage can train it, name a span or principle reward model in the loop's PPO settings, or choose DPO.");
        var promptIds = (await RoundSamples.LoadAsync(db, round, cancellationToken)).Select(s => s.PromptId).Distinct().ToList();
        var prompts = await db.Prompts.AsNoTracking().Where(p => promptIds.Contains(p.Id)).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        if (prompts.Count < 2)
            throw new InvalidOperationException($"Round {round.Number} sampled {prompts.Count} prompt(s); PPO needs at least 2.");
        var config = ppo with { Reward = reward };
        var counts = await PpoPromptSnapshot.Counts.OfAsync(db, prompts.Count, config.Reward, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var run = new TrainingRun(TrainingKind.Ppo, config.ToJson(), $"round {round.Number}", round.ProjectId, round.PolicyId, round.Id);
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        var runFolder = Store($"runs/{run.Id.ToString(CultureInfo.InvariantCulture)}");
        await DatasetWriter.WriteFileAsync(Path.Combine(runFolder, "dataset.jsonl"), async writer =>
        {
            foreach (var prompt in prompts)
                await PpoPromptSnapshot.WriteAsync(writer, prompt, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(runFolder, PpoPromptSnapshot.CountsFile),
                counts.ToJson(), cancellationToken);
        }, cancellationToken);
        round.AttachRun(run.Id);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await db.Database.NotifyRoundChangedAsync(round.Id, CancellationToken.None);
        return run.Id;
    }
}
