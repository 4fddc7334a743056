using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Export;

/// <summary>The examples of a project's principle verdicts and what was left out of them.</summary>
public sealed record PrincipleExampleSet(IReadOnlyList<LabelledPrincipleExample> Examples, PrincipleExampleCounts Counts);

/// <summary>
/// The training data of the principle reward model, from a project's current principle labels (as
/// <see cref="PreferencePairSource"/> reads labels: revised versions only): one example per (response, principle),
/// whose verdict is the majority of its annotators' yes and no (<see cref="PrincipleMajority"/>). A split is left out
/// and counted; "not applicable" verdicts are left out and counted per verdict, and a response every annotator found
/// the principle not applicable to gives no example (and no split). Unlike the principle pairs, a verdict needs no
/// opposite on the same prompt: each response is judged on its own, as RLBFF trains. Examples come in prompt,
/// response and principle order.
/// </summary>
public sealed class PrincipleExampleSource(PreferenceStudioDbContext db)
{
    private sealed record Vote(int PromptId, int ResponseId, int PrincipleId, Verdict Verdict, long TaskId, string Annotator, DateTimeOffset At);

    public async Task<PrincipleExampleSet> ReadAsync(int projectId, CancellationToken cancellationToken)
    {
        var principles = await db.Principles.AsNoTracking().Where(p => p.ProjectId == projectId).ToDictionaryAsync(p => p.Id, cancellationToken);
        var votes = new List<Vote>();
        var labels = 0;
        DateTimeOffset? newest = null;
        // Verdicts on one response come from several labels (annotators), so every current verdict is read first, as ids.
        await foreach (var batch in CurrentLabels.BatchesAsync<PrincipleAnnotation>(db, projectId, cancellationToken))
            foreach (var (label, promptId) in batch)
            {
                labels++;
                if (newest is null || label.CreatedAt > newest) newest = label.CreatedAt;
                foreach (var v in label.Verdicts)
                    votes.Add(new Vote(promptId, v.ResponseId, v.PrincipleId, v.Verdict, label.TaskId, label.AnnotatorId, label.CreatedAt));
            }

        var groups = votes.Where(v => v.Verdict != Verdict.NotApplicable)
            .GroupBy(v => (v.PromptId, v.ResponseId, v.PrincipleId))
            .OrderBy(g => g.Key.PromptId).ThenBy(g => g.Key.ResponseId).ThenBy(g => principles[g.Key.PrincipleId].Order)
            .ToList();
        var examples = new List<LabelledPrincipleExample>();
        var splits = 0;
        var context = new ExportContext(db);
        foreach (var chunk in groups.Chunk(ExportContext.BatchSize))
        {
            await context.LoadAsync(chunk.Select(g => g.Key.PromptId), chunk.Select(g => g.Key.ResponseId), cancellationToken);
            foreach (var group in chunk)
            {
                if (PrincipleMajority.Of(group.Select(v => v.Verdict)) is not { } verdict)
                {
                    splits++;
                    continue;
                }
                var principle = principles[group.Key.PrincipleId];
                var (promptId, responseId) = (group.Key.PromptId, group.Key.ResponseId);
                examples.Add(new LabelledPrincipleExample(promptId, context.Prompts[promptId], responseId, context.Responses[responseId].Text,
                    principle.Key, principle.Text, verdict == Verdict.Yes,
                    group.Count(v => v.Verdict == Verdict.Yes), group.Count(v => v.Verdict == Verdict.No),
                    group.Select(v => v.TaskId).Distinct().Order().ToList(),
                    group.Select(v => v.Annotator).Distinct().Order(StringComparer.Ordinal).ToList(),
                    group.Max(v => v.At)));
            }
        }
        var counts = new PrincipleExampleCounts(labels, votes.Count, examples.Count, votes.Count(v => v.Verdict == Verdict.NotApplicable), splits, newest)
        {
            KeptByPrinciple = examples.GroupBy(e => e.PrincipleKey).ToDictionary(g => g.Key, g => g.Count()),
        };
        return new PrincipleExampleSet(examples, counts);
    }
}
