using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Loop.Stages;

/// <summary>
/// (3) Makes the round's DPO pairs. The reward model scores every sample; human_share of the prompts go to people as
/// pairwise tasks (the reward model's best against its worst sample, or two seeded-random samples without one), ahead
/// of the project's other tasks; the stage then waits, without a worker, until every task has a label or the deadline
/// passes. People's labels order their prompts' pairs (ties and both-bad left out and counted); the reward model
/// pairs best-of-K against worst-of-K on every other prompt. The pairs go to rounds/{id}/pairs.jsonl, whole or not at all.
/// </summary>
public sealed class PairsStage(
    PreferenceStudioDbContext db,
    ResponseScorer scorer,
    RoundPairsWriter writer,
    IOptions<LoopOptions> options,
    TimeProvider clock) : IRoundStage
{
    public RoundStageKind Kind => RoundStageKind.Pairs;

    public async Task<StageOutcome> RunAsync(LoopRound round, LoopRoundSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(settings);
        var samples = await RoundSamples.LoadAsync(db, round, cancellationToken);
        var (scores, scoring) = await ScoresAsync(round, settings, samples, cancellationToken);
        var prompts = samples.GroupBy(s => s.PromptId).Select(g => new SampledPrompt(g.Key, g.ToList())).ToList();
        if (round.LabelsDueAt is null)
        {
            if (await HandOutAsync(round, settings, prompts, scores, cancellationToken) > 0)
                return StageOutcome.Waiting(options.Value.LabelCheckInterval);
        }
        else if (round.State == RoundState.WaitingForLabels)
        {
            var tasks = await RoundTasksAsync(round, samples, cancellationToken);
            var taskIds = tasks.Select(t => t.Id).ToList();
            var labelled = await db.Annotations.Where(a => taskIds.Contains(a.TaskId) && a.SupersededAt == null)
                .Select(a => a.TaskId).Distinct().CountAsync(cancellationToken);
            round.RecordLabelled(labelled);
            round.ReportProgress(labelled, round.HumanTasks);
            if (labelled < round.HumanTasks && clock.GetUtcNow() < round.LabelsDueAt)
            {
                await db.SaveChangesAsync(cancellationToken);
                return StageOutcome.Waiting(options.Value.LabelCheckInterval);
            }
        }

        var written = await writer.WriteAsync(round, prompts, await RoundTasksAsync(round, samples, cancellationToken), scores, cancellationToken);
        round.RecordPairs(written.Human, written.RewardModel);
        return StageOutcome.Finished(string.Create(CultureInfo.InvariantCulture,
            $"{written.Human} human pairs ({round.HumanLabelled} of {round.HumanTasks} tasks labelled; {written.Ties} ties, {written.BothBad} both bad left out), " +
            $"{written.RewardModel} reward-model pairs (best vs worst of {settings.ResponsesPerPrompt}){scoring}"));
    }

    /// <summary>The reward model's score of every sample (those scored before are read back); null without a reward model.</summary>
    private async Task<(IReadOnlyDictionary<int, double>? Scores, string Speed)> ScoresAsync(
        LoopRound round, LoopRoundSettings settings, List<RoundSample> samples, CancellationToken cancellationToken)
    {
        if (round.RewardModelId is not { } rewardModel)
            return (null, "; no reward model to rank samples");
        var ids = samples.Select(s => s.ResponseId).ToList();
        var scores = await db.ResponseScores.AsNoTracking().Where(s => s.RewardModelId == rewardModel && ids.Contains(s.ResponseId))
            .ToDictionaryAsync(s => s.ResponseId, s => s.Score, cancellationToken);
        var missing = ids.Where(id => !scores.ContainsKey(id)).ToList();
        if (missing.Count == 0)
            return (scores, "");
        var started = clock.GetTimestamp();
        foreach (var (id, score) in await scorer.ScoreAsync(rewardModel, missing, cancellationToken, maxLength: settings.Reward.Trainer.MaxLength))
            scores[id] = score;
        var seconds = clock.GetElapsedTime(started).TotalSeconds;
        return (scores, string.Create(CultureInfo.InvariantCulture, $"; scored {missing.Count} samples, {missing.Count / Math.Max(seconds, 1e-9):N0} samples/s"));
    }

    /// <summary>Creates the round's pairwise tasks and starts the wait for them, in one save; returns how many it made.</summary>
    private async Task<int> HandOutAsync(LoopRound round, LoopRoundSettings settings, List<SampledPrompt> prompts,
        IReadOnlyDictionary<int, double>? scores, CancellationToken cancellationToken)
    {
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == round.ProjectId, cancellationToken);
        if (!project.Collects(TaskKind.Pairwise))
            return 0;
        var comparable = prompts.Where(p => p.Samples.Select(s => s.Text).Distinct().Count() >= 2).ToArray();
        var count = (int)Math.Round(settings.HumanShare * comparable.Length, MidpointRounding.AwayFromZero);
        if (count == 0)
            return 0;
        var random = new Random(RoundSeed.For(round, Kind));
        random.Shuffle(comparable);
        foreach (var prompt in comparable.Take(count))
        {
            var (a, b) = scores is null ? prompt.RandomPair(random) : prompt.BestAndWorst(scores);
            db.Tasks.Add(new AnnotationTask(project, prompt.PromptId, TaskKind.Pairwise, [a.ResponseId, b.ResponseId], options.Value.HumanTaskPriority));
        }
        round.WaitForLabels(count, clock.GetUtcNow() + settings.LabelDeadline);
        round.ReportProgress(0, count);  // progress counts the round's tasks labelled
        await db.SaveChangesAsync(cancellationToken);
        return count;
    }

    /// <summary>The pairwise tasks the round made: those comparing two of its samples.</summary>
    private Task<List<AnnotationTask>> RoundTasksAsync(LoopRound round, List<RoundSample> samples, CancellationToken cancellationToken)
    {
        var ids = samples.Select(s => s.ResponseId).ToList();
        return db.Tasks.AsNoTracking()
            .Where(t => t.ProjectId == round.ProjectId && t.Kind == TaskKind.Pairwise && t.Responses.All(r => ids.Contains(r.ResponseId)))
            .OrderBy(t => t.Id)
            .ToListAsync(cancellationToken);
    }
}
