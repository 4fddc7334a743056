using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// The one place preference pairs are made from a project's current labels, for the TRL export and for training:
/// <list type="bullet">
/// <item>pairwise: one pair per label with a preference, weight 1; ties and both-bad labels are left out;</item>
/// <item>ranking: every pair of distinct ranks, better over worse; a ranking is one example, so each of its n pairs
/// weighs 1/n; responses of equal rank give no pair;</item>
/// <item>principle: per prompt and principle, each response's verdict is the majority of its annotators' yes and no
/// (<see cref="PrincipleMajority"/>), and every response judged yes is chosen over every response judged no; like a
/// ranking, the y·n pairs of one (prompt, principle) weigh 1/(y·n) each.</item>
/// </list>
/// Pairs stream out in label id order: pairwise ones row by row from a single query (<see cref="PairwiseRows"/>),
/// ranking ones a batch at a time; principle verdicts are grouped by prompt first, so those are held in memory as ids only. <see cref="Counts"/> is complete when the stream ends.
/// </summary>
public sealed class PreferencePairSource(PreferenceStudioDbContext db)
{
    public PairCounts Counts { get; } = new();

    public async IAsyncEnumerable<LabelledPair> ReadAsync(int projectId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Pairwise labels, the bulk of most projects, stream in one query with their texts joined in.
        await foreach (var pair in PairwiseRows.ReadAsync(db, projectId, Counts, cancellationToken))
            yield return pair;
        var context = new ExportContext(db);
        await foreach (var batch in CurrentLabels.BatchesAsync<RankingAnnotation>(db, projectId, cancellationToken))
        {
            await context.LoadAsync(batch.Select(x => x.PromptId), batch.SelectMany(x => x.Label.Entries.Select(e => e.ResponseId)), cancellationToken);
            foreach (var (label, promptId) in batch)
                foreach (var pair in FromRanking(context, label, promptId))
                    yield return pair;
        }
        await foreach (var pair in PrincipleSource.ReadAsync(db, projectId, context, Counts, cancellationToken))
            yield return pair;
    }

    private IEnumerable<LabelledPair> FromRanking(ExportContext context, RankingAnnotation label, int promptId)
    {
        Counts.Read(PairSourceKind.Ranking, label.CreatedAt);
        var ranked = label.Entries.OrderBy(e => e.Rank).ThenBy(e => e.ResponseId).ToList();
        var ordered = (from better in ranked from worse in ranked where worse.Rank > better.Rank select (better, worse)).ToList();
        var entries = ranked.Count;
        Counts.LeaveOut(LeftOutReason.RankingTie, entries * (entries - 1) / 2 - ordered.Count);
        foreach (var (better, worse) in ordered)
        {
            Counts.Keep(PairSourceKind.Ranking);
            yield return Pair(context, PairSourceKind.Ranking, promptId, better.ResponseId, worse.ResponseId, worse.Rank - better.Rank, 1.0 / ordered.Count, label);
        }
    }

    private static LabelledPair Pair(ExportContext context, PairSourceKind source, int promptId, int chosen, int rejected, int margin, double weight, Annotation label) =>
        new(source, promptId, context.Prompts[promptId], chosen, context.Responses[chosen].Text, rejected, context.Responses[rejected].Text,
            margin, weight, [label.TaskId], [label.AnnotatorId], label.CreatedAt);
}
