using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// Principle verdicts turned into yes-over-no pairs per (prompt, principle); the rules are on
/// <see cref="PreferencePairSource"/>. A prompt's verdicts may come from several tasks and annotators, so every
/// current verdict is read first (as ids), then the groups are paired a batch of prompts at a time.
/// </summary>
internal static class PrincipleSource
{
    private sealed record Vote(int PromptId, int ResponseId, int PrincipleId, Verdict Verdict, long TaskId, string Annotator, DateTimeOffset At);

    public static async IAsyncEnumerable<LabelledPair> ReadAsync(PreferenceStudioDbContext db, int projectId, ExportContext context,
        PairCounts counts, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var principles = await db.Principles.AsNoTracking().Where(p => p.ProjectId == projectId).ToDictionaryAsync(p => p.Id, cancellationToken);
        var votes = new List<Vote>();
        await foreach (var batch in CurrentLabels.BatchesAsync<PrincipleAnnotation>(db, projectId, cancellationToken))
            foreach (var (label, promptId) in batch)
            {
                counts.Read(PairSourceKind.Principle, label.CreatedAt);
                foreach (var v in label.Verdicts)
                    votes.Add(new Vote(promptId, v.ResponseId, v.PrincipleId, v.Verdict, label.TaskId, label.AnnotatorId, label.CreatedAt));
            }
        counts.LeaveOut(LeftOutReason.PrincipleNotApplicable, votes.Count(v => v.Verdict == Verdict.NotApplicable));

        var groups = votes.Where(v => v.Verdict != Verdict.NotApplicable)
            .GroupBy(v => (v.PromptId, v.PrincipleId))
            .OrderBy(g => g.Key.PromptId).ThenBy(g => principles[g.Key.PrincipleId].Order)
            .ToList();
        foreach (var chunk in groups.Chunk(ExportContext.BatchSize))
        {
            await context.LoadAsync(chunk.Select(g => g.Key.PromptId), chunk.SelectMany(g => g.Select(v => v.ResponseId)), cancellationToken);
            foreach (var group in chunk)
                foreach (var pair in Pairs(group, principles[group.Key.PrincipleId].Key, context, counts))
                    yield return pair;
        }
    }

    /// <summary>Every response judged yes over every response judged no on one principle for one prompt.</summary>
    private static IEnumerable<LabelledPair> Pairs(IGrouping<(int PromptId, int PrincipleId), Vote> group, string principle, ExportContext context, PairCounts counts)
    {
        var byResponse = group.GroupBy(v => v.ResponseId).OrderBy(r => r.Key)
            .Select(r => (Votes: r.ToList(), Verdict: PrincipleMajority.Of(r.Select(v => v.Verdict))))
            .ToList();
        counts.LeaveOut(LeftOutReason.PrincipleSplit, byResponse.Count(r => r.Verdict is null));
        var yes = byResponse.Where(r => r.Verdict == Verdict.Yes).ToList();
        var no = byResponse.Where(r => r.Verdict == Verdict.No).ToList();
        if (yes.Count == 0 || no.Count == 0)
        {
            counts.LeaveOut(LeftOutReason.PrincipleNoOpposite, yes.Count + no.Count);
            yield break;
        }
        var weight = 1.0 / (yes.Count * no.Count);
        var promptId = group.Key.PromptId;
        foreach (var chosen in yes)
            foreach (var rejected in no)
            {
                var labels = chosen.Votes.Concat(rejected.Votes).ToList();
                counts.Keep(PairSourceKind.Principle);
                int chosenId = chosen.Votes[0].ResponseId, rejectedId = rejected.Votes[0].ResponseId;
                yield return new LabelledPair(PairSourceKind.Principle, promptId, context.Prompts[promptId],
                    chosenId, context.Responses[chosenId].Text, rejectedId, context.Responses[rejectedId].Text,
                    Margin: 1, weight,
                    labels.Select(v => v.TaskId).Distinct().Order().ToList(),
                    labels.Select(v => v.Annotator).Distinct().Order(StringComparer.Ordinal).ToList(),
                    labels.Max(v => v.At), principle);
            }
    }
}
