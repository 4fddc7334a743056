using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Training;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>
/// The reward-model stage's part for a PPO loop with dense rewards: each round retrains the span and the principle
/// reward model its PPO settings name on every label of their kind so far, with the config and backbone the named model
/// was trained with, so PPO's fine-grained rewards learn from this morning's span marks and verdicts as its scalar
/// reward does from this morning's preferences. Each retraining is a run of the round, found again by its kind when the
/// stage resumes, and run inside the round's job.
/// </summary>
public sealed class FineGrainedRewardRefresh(PreferenceStudioDbContext db, InlineTrainingRun runner)
{
    /// <summary>A source the round retrains: its loader (the field that names it, the model's kind) and the run that trains it.</summary>
    private sealed record Source(IPpoRewardSourceLoader Loader, string Noun, TrainingKind RunKind, string Headline)
    {
        public string Field => Loader.Field;
    }

    private static readonly Source Span = new(new SpanRewardSourceLoader(), "span reward model", TrainingKind.SpanRewardModel, "eval_macro_f1");

    private static readonly Source Principle = new(new PrincipleRewardSourceLoader(), "principle reward model", TrainingKind.PrincipleRewardModel, "eval_accuracy");

    /// <summary>Retrains what <paramref name="reward"/> names and records the new models on the round; one line per model made.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(LoopRound round, PpoRewardSection reward, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(reward);
        var made = new List<string>();
        if (reward.SpanModelId is { } span)
        {
            var run = await RefreshAsync<SpanRewardModelJob>(round, span, Span, cancellationToken);
            round.RecordSpanRewardModel(run.OutputModelVersionId!.Value);
            made.Add(await DescribeAsync(run, Span, cancellationToken));
        }
        if (reward.PrincipleModelId is { } principle)
        {
            var run = await RefreshAsync<PrincipleRewardModelJob>(round, principle, Principle, cancellationToken);
            round.RecordPrincipleRewardModel(run.OutputModelVersionId!.Value);
            made.Add(await DescribeAsync(run, Principle, cancellationToken));
        }
        return made;
    }

    /// <summary>
    /// What a loop's PPO settings name for retraining, checked against the registry when they are saved: a model of the
    /// source's kind, made by a run on this project's labels (the run's config and backbone are what a round reuses).
    /// </summary>
    public static async Task<IReadOnlyList<string>> CheckAsync(PreferenceStudioDbContext db, int projectId, PpoRewardSection reward, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(reward);
        var errors = new List<string>();
        foreach (var (id, source) in new[] { (reward.SpanModelId, Span), (reward.PrincipleModelId, Principle) })
            if (id is { } modelId && await TemplateAsync(db, modelId, source, projectId, cancellationToken) is (null, { } error))
                errors.Add(error);
        return errors;
    }

    private async Task<TrainingRun> RefreshAsync<TJob>(LoopRound round, int templateId, Source source, CancellationToken cancellationToken)
        where TJob : TrainingRunJob
    {
        var runId = await db.TrainingRuns.AsNoTracking().Where(r => r.RoundId == round.Id && r.Kind == source.RunKind)
            .Select(r => (long?)r.Id).SingleOrDefaultAsync(cancellationToken)
            ?? await StartRunAsync(round, templateId, source, cancellationToken);
        return await runner.RunAsync<TJob>(runId, cancellationToken);
    }

    private async Task<long> StartRunAsync(LoopRound round, int templateId, Source source, CancellationToken cancellationToken)
    {
        var (template, error) = await TemplateAsync(db, templateId, source, round.ProjectId, cancellationToken);
        if (template is null)
            throw new InvalidOperationException($"Round {round.Number} cannot retrain the loop's {source.Noun}: ppo.{error}");
        var run = new TrainingRun(source.RunKind, template.ConfigJson, $"round {round.Number}", round.ProjectId, template.BaseModelVersionId, round.Id);
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.NotifyRoundChangedAsync(round.Id, CancellationToken.None);
        return run.Id;
    }

    /// <summary>The run that made model <paramref name="modelId"/>, when it is one a round can repeat; otherwise why not, naming the field.</summary>
    private static async Task<(TrainingRun? Run, string? Error)> TemplateAsync(
        PreferenceStudioDbContext db, int modelId, Source source, int projectId, CancellationToken cancellationToken)
    {
        if (await PpoLaunchChecks.KindProblemAsync(db, source.Loader, modelId, cancellationToken) is { } problem)
            return (null, problem);
        var trainedBy = await db.ModelVersions.AsNoTracking().Where(m => m.Id == modelId).Select(m => m.TrainingRunId).SingleAsync(cancellationToken);
        var run = trainedBy is { } runId
            ? await db.TrainingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken)
            : null;
        if (run is null || run.Kind != source.RunKind)
            return (null, $"{source.Field}: model version {modelId} was not made by a {source.Noun} run here; "
                + $"a round retrains the {source.Noun} with the settings of the run that made it, so choose one trained from the training page");
        if (run.ProjectId != projectId)
            return (null, $"{source.Field}: model version {modelId} was trained on another project's labels; "
                + $"a round retrains it on this project's, so choose a {source.Noun} trained on this project");
        return (run, null);
    }

    private async Task<string> DescribeAsync(TrainingRun run, Source source, CancellationToken cancellationToken)
    {
        var headline = await db.RunMetrics.AsNoTracking().Where(m => m.RunId == run.Id && m.Key == source.Headline)
            .OrderByDescending(m => m.Step).Select(m => (double?)m.Value).FirstOrDefaultAsync(cancellationToken);
        var shown = headline is { } h ? h.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
        return $"{source.Noun} {run.OutputModelVersionId} from run {run.Id} ({source.Headline} {shown})";
    }
}
