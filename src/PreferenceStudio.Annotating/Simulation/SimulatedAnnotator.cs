using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Data;

namespace PreferenceStudio.Annotating.Simulation;

/// <summary>What a simulated annotator did in one sitting.</summary>
public sealed record SimulatedSitting(int Pairwise, int Rankings, int Skipped)
{
    public int Labels => Pairwise + Rankings;
}

/// <summary>
/// Labels a project's tasks as one annotator would, through the same queue, task view and submit the workspace uses
/// (leases, versions, idempotency keys, validation), judging by a <see cref="BradleyTerryJudge"/>. It answers pairwise
/// and ranking tasks; span and principle tasks ask for judgements its taste does not define, so it skips them, and
/// the queue hands them to someone else. One context per task, as the workspace does per call.
/// </summary>
public sealed class SimulatedAnnotator(
    IDbContextFactory<PreferenceStudioDbContext> contexts, TimeProvider clock, ILoggerFactory logs, BradleyTerryJudge judge, string annotatorId)
{
    /// <summary>The judge picks "much better" (strength 2) when it is at least this sure of its choice, else "better".</summary>
    public const double ConfidentProbability = 0.85;

    /// <summary>How long each simulated answer says it took (the label's time spent).</summary>
    public static readonly TimeSpan TimePerAnswer = TimeSpan.FromSeconds(4);

    /// <summary>Labels until the queue has nothing left for this annotator, or <paramref name="limit"/> labels are stored.</summary>
    public async Task<SimulatedSitting> LabelAsync(string projectSlug, int? limit = null, CancellationToken ct = default)
    {
        Project project;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            project = await new TaskViewQuery(db).ProjectAsync(projectSlug, ct)
                ?? throw new InvalidOperationException($"There is no project '{projectSlug}' to label.");
        var sitting = new SimulatedSitting(0, 0, 0);
        while (limit is null || sitting.Labels < limit)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var queue = new AnnotationQueue(db, clock, logs.CreateLogger<AnnotationQueue>());
            if (await queue.NextAsync(project, annotatorId, ct) is not { } lease)
                break;
            var view = await new TaskViewQuery(db).LoadAsync(project, lease.TaskId, annotatorId, ct)
                ?? throw new InvalidOperationException($"Task {lease.TaskId} was leased but cannot be shown.");
            if (Answer(view) is not { } request)
            {
                var skipped = await queue.SkipAsync(lease.AssignmentId, annotatorId, "The simulated annotator judges preferences only.", ct);
                if (skipped.Message is not null)
                    throw new InvalidOperationException($"Task {lease.TaskId}: {skipped.Message}");
                sitting = sitting with { Skipped = sitting.Skipped + 1 };
                continue;
            }
            var outcome = await new SubmitService(db, clock).SubmitAsync(lease.AssignmentId, annotatorId, request, ct);
            if (outcome.Receipt is null)
                throw new InvalidOperationException($"Task {lease.TaskId}: the submit was refused: {outcome.Error}");
            sitting = view.Kind == TaskKind.Pairwise
                ? sitting with { Pairwise = sitting.Pairwise + 1 }
                : sitting with { Rankings = sitting.Rankings + 1 };
        }
        return sitting;
    }

    /// <summary>The judge's answer to a task as the workspace would send it; null for kinds it does not judge.</summary>
    public SubmitRequest? Answer(TaskView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var shown = view.Responses.Select(r => r.Id).ToList();
        var spent = (long)TimePerAnswer.TotalMilliseconds;
        switch (view.Kind)
        {
            case TaskKind.Pairwise:
                var (a, b) = (view.Responses[0], view.Responses[1]);
                var pA = judge.Probability(a.Text, b.Text);
                var choseA = judge.Prefers(a.Text, b.Text);
                var strength = (choseA ? pA : 1 - pA) >= ConfidentProbability ? 2 : 1;
                return new SubmitRequest(Guid.NewGuid(), spent, shown, null,
                    Pairwise: new PairwiseAnswer(a.Id, b.Id, choseA ? -strength : strength, BothBad: false));
            case TaskKind.Ranking:
                var order = judge.Rank(view.Responses.Select(r => r.Text).ToList());
                return new SubmitRequest(Guid.NewGuid(), spent, shown, null,
                    Ranking: new RankingAnswer(order.Select((index, place) => new RankItem(view.Responses[index].Id, place + 1)).ToList()));
            default:
                return null;
        }
    }
}
