using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Data;
using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// Span-model training data from a project's current span labels (the latest version of each annotator's label on
/// each task): one <see cref="LabelledSpans"/> per labelled response and annotator, every response the annotator was
/// shown, so a response marked with no span is an example whose tokens are all "no error". Annotators are not merged:
/// two annotators' labels of one response are two examples, as Fine-Grained RLHF trains on each annotation. Left out,
/// and counted (<see cref="Counts"/>): responses no longer in the database, empty ones, and any response whose spans
/// do not fit its text or name a label outside the taxonomy. Streams in label id order, a batch at a time.
/// </summary>
public sealed class SpanExampleSource(PreferenceStudioDbContext db)
{
    public SpanCounts Counts { get; } = new();

    /// <summary>The project's span taxonomy: its labels' keys in the project's order, category i being tag i + 1.</summary>
    public async Task<IReadOnlyList<string>> CategoriesAsync(int projectId, CancellationToken cancellationToken) =>
        await db.SpanLabels.AsNoTracking().Where(l => l.ProjectId == projectId).OrderBy(l => l.Order).ThenBy(l => l.Id)
            .Select(l => l.Key).ToListAsync(cancellationToken);

    public async IAsyncEnumerable<LabelledSpans> ReadAsync(int projectId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var keys = await db.SpanLabels.AsNoTracking().Where(l => l.ProjectId == projectId).ToDictionaryAsync(l => l.Id, l => l.Key, cancellationToken);
        var context = new ExportContext(db);
        await foreach (var batch in CurrentLabels.BatchesAsync<SpanAnnotation>(db, projectId, cancellationToken))
        {
            await context.LoadAsync(batch.Select(x => x.PromptId), batch.SelectMany(x => x.Label.ShownOrder), cancellationToken);
            foreach (var (label, promptId) in batch)
            {
                Read(label);
                Counts.LeaveOut(SpanLeftOutReason.SpanOnResponseNotShown, label.Spans.Count(s => !label.ShownOrder.Contains(s.ResponseId)));
                foreach (var responseId in label.ShownOrder.Distinct())
                    if (Example(context, keys, label, promptId, responseId) is { } example)
                        yield return example;
            }
        }
    }

    private void Read(SpanAnnotation label)
    {
        Counts.Labels++;
        if (Counts.NewestLabelAt is null || label.CreatedAt > Counts.NewestLabelAt)
            Counts.NewestLabelAt = label.CreatedAt;
    }

    private LabelledSpans? Example(ExportContext context, Dictionary<int, string> keys, SpanAnnotation label, int promptId, int responseId)
    {
        if (!context.Responses.TryGetValue(responseId, out var response))
            return LeaveOut(SpanLeftOutReason.ResponseMissing);
        if (response.Text.Length == 0)
            return LeaveOut(SpanLeftOutReason.EmptyResponse);
        var marked = label.Spans.Where(s => s.ResponseId == responseId).OrderBy(s => s.Start).ThenBy(s => s.End).ToList();
        if (marked.Any(s => s.End > response.Text.Length))
            return LeaveOut(SpanLeftOutReason.SpanOutsideResponse);
        if (marked.Any(s => !keys.ContainsKey(s.LabelId)))
            return LeaveOut(SpanLeftOutReason.UnknownSpanLabel);
        Counts.Examples++;
        if (marked.Count == 0) Counts.WithoutErrors++;
        var spans = marked.Select(s => new TextSpan(s.Start, s.End, keys[s.LabelId], (int?)s.Severity ?? 0)).ToList();
        return new LabelledSpans(label.Id, promptId, context.Prompts[promptId], responseId, response.Text, spans, label.TaskId, label.AnnotatorId, label.CreatedAt);
    }

    private LabelledSpans? LeaveOut(SpanLeftOutReason reason)
    {
        Counts.LeaveOut(reason);
        return null;
    }
}
