using PreferenceStudio.Core;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Annotating;

/// <summary>
/// Turns a posted answer into a domain annotation, or says what is wrong with it and where. Everything a client
/// sends is checked against the task and its project: ids of other tasks or projects, offsets outside the text,
/// rankings that are not permutations, principles the project does not have.
/// </summary>
public static class AnswerValidator
{
    public const long MaxTimeSpentMs = 24L * 60 * 60 * 1000;

    public static (Annotation? Annotation, string? Error) Build(TaskFacts task, SubmitRequest request, string annotatorId, long? assignmentId, DateTimeOffset now)
    {
        if (request.IdempotencyKey == Guid.Empty)
            return Fail("idempotencyKey: required, a UUID made once per display of the task.");
        if (request.TimeSpentMs is < 0 or > MaxTimeSpentMs)
            return Fail($"timeSpentMs: must be between 0 and {MaxTimeSpentMs}, got {request.TimeSpentMs}.");
        if (request.ShownOrder is null || !IsPermutation(request.ShownOrder, task.ResponseIds))
            return Fail($"shownOrder: must list each of task {task.TaskId}'s responses [{string.Join(", ", task.ResponseIds)}] once, got [{string.Join(", ", request.ShownOrder ?? [])}].");
        if (UnstorableText(request) is { } unstorable)
            return Fail(unstorable);
        var answers = new (TaskKind Kind, object? Answer)[]
        {
            (TaskKind.Pairwise, request.Pairwise), (TaskKind.Ranking, request.Ranking),
            (TaskKind.Span, request.Span), (TaskKind.Principle, request.Principle),
        };
        var given = answers.Where(a => a.Answer is not null).Select(a => a.Kind).ToList();
        if (given.Count != 1 || given[0] != task.Kind)
            return Fail($"Task {task.TaskId} is a {task.Kind} task: send exactly one answer, '{Name(task.Kind)}'; got {(given.Count == 0 ? "none" : string.Join(", ", given.Select(k => $"'{Name(k)}'")))}.");

        var context = new AnnotationContext(task.TaskId, annotatorId, assignmentId, request.IdempotencyKey,
            TimeSpan.FromMilliseconds(request.TimeSpentMs), request.ShownOrder, request.Rationale, now);
        try
        {
            return task.Kind switch
            {
                TaskKind.Pairwise => Pairwise(task, request.Pairwise!, context),
                TaskKind.Ranking => Ranking(task, request.Ranking!, context),
                TaskKind.Span => Span(task, request.Span!, context),
                TaskKind.Principle => Principle(task, request.Principle!, context),
                _ => Fail($"Unknown task kind {task.Kind}."),
            };
        }
        catch (DomainException ex)
        {
            return Fail(ex.Message);
        }
    }

    /// <summary>The first free-text field PostgreSQL could not store, named by its path in the request.</summary>
    private static string? UnstorableText(SubmitRequest request) => StorableText.FirstProblem(
    [
        ("rationale", request.Rationale),
        .. (request.Span?.Spans ?? []).Select((s, i) => ($"span.spans[{i}].comment", s.Comment)),
        .. (request.Span?.Flags ?? []).Select((f, i) => ($"span.flags[{i}].flag", (string?)f.Flag)),
        .. (request.Principle?.Verdicts ?? []).Select((v, i) => ($"principle.verdicts[{i}].evidence", v.Evidence)),
    ]);

    private static (Annotation?, string?) Pairwise(TaskFacts task, PairwiseAnswer answer, AnnotationContext context)
    {
        if (!IsPermutation([answer.ResponseAId, answer.ResponseBId], task.ResponseIds))
            return Fail($"pairwise: responseAId and responseBId must be task {task.TaskId}'s two responses [{string.Join(", ", task.ResponseIds)}], got {answer.ResponseAId} and {answer.ResponseBId}.");
        if (answer.Preference is < -2 or > 2)
            return Fail($"pairwise.preference: must be -2 (A much better) to 2 (B much better), got {answer.Preference}.");
        return (new PairwiseAnnotation(context, answer.ResponseAId, answer.ResponseBId, (PairwisePreference)answer.Preference, answer.BothBad), null);
    }

    private static (Annotation?, string?) Ranking(TaskFacts task, RankingAnswer answer, AnnotationContext context)
    {
        var entries = answer.Entries ?? [];
        if (!IsPermutation(entries.Select(e => e.ResponseId).ToList(), task.ResponseIds))
            return Fail($"ranking.entries: must rank each of task {task.TaskId}'s responses [{string.Join(", ", task.ResponseIds)}] once, got [{string.Join(", ", entries.Select(e => e.ResponseId))}].");
        var ranks = entries.Select(e => e.Rank).ToList();
        if (!task.AllowRankingTies && !IsPermutation(ranks, Enumerable.Range(1, entries.Count).ToList()))
            return Fail($"ranking.entries: ranks must be 1 to {entries.Count}, each once (this project allows no ties), got [{string.Join(", ", ranks)}].");
        var bad = entries.Select((e, i) => (e, i)).FirstOrDefault(x => x.e.Rank < 1 || x.e.Rank > entries.Count);
        if (bad.e is not null)
            return Fail($"ranking.entries[{bad.i}].rank: must be 1 to {entries.Count}, got {bad.e.Rank}.");
        return (new RankingAnnotation(context, entries.Select(e => new RankingEntry(e.ResponseId, e.Rank)).ToList(), task.AllowRankingTies), null);
    }

    private static (Annotation?, string?) Span(TaskFacts task, SpanAnswer answer, AnnotationContext context)
    {
        var spans = answer.Spans ?? [];
        var flags = answer.Flags ?? [];
        for (var i = 0; i < spans.Count; i++)
        {
            var s = spans[i];
            var where = $"span.spans[{i}]";
            if (!task.ResponseTexts.TryGetValue(s.ResponseId, out var text))
                return Fail($"{where}.responseId: {s.ResponseId} is not a response of task {task.TaskId}.");
            if (s.Start < 0 || s.End <= s.Start || s.End > text.Length)
                return Fail($"{where}: [{s.Start}, {s.End}) is not a non-empty range inside response {s.ResponseId}, which has {text.Length} UTF-16 code units.");
            if (char.IsLowSurrogate(text[s.Start]) || (s.End < text.Length && char.IsLowSurrogate(text[s.End])))
                return Fail($"{where}: [{s.Start}, {s.End}) cuts a character (a surrogate pair) in half.");
            if (!task.SpanLabelIds.Contains(s.LabelId))
                return Fail($"{where}.labelId: {s.LabelId} is not a span label of this project.");
            if (s.Severity is { } sev && !Enum.IsDefined((Severity)sev))
                return Fail($"{where}.severity: must be 1 (minor), 2 (major) or 3 (critical), got {sev}.");
        }
        for (var i = 0; i < flags.Count; i++)
        {
            if (!task.ResponseTexts.ContainsKey(flags[i].ResponseId))
                return Fail($"span.flags[{i}].responseId: {flags[i].ResponseId} is not a response of task {task.TaskId}.");
            if (!ResponseFlags.IsKnown(flags[i].Flag))
                return Fail($"span.flags[{i}].flag: '{flags[i].Flag}' is not one of {string.Join(", ", ResponseFlags.All.Select(f => f.Key))}.");
        }
        return (new SpanAnnotation(context,
            spans.Select(s => new MarkedSpan(s.ResponseId, s.Start, s.End, s.LabelId, (Severity?)s.Severity, string.IsNullOrWhiteSpace(s.Comment) ? null : s.Comment)).ToList(),
            flags.Select(f => new ResponseFlag(f.ResponseId, f.Flag)).ToList()), null);
    }

    private static (Annotation?, string?) Principle(TaskFacts task, PrincipleAnswer answer, AnnotationContext context)
    {
        var verdicts = answer.Verdicts ?? [];
        for (var i = 0; i < verdicts.Count; i++)
        {
            var v = verdicts[i];
            if (!task.ResponseIds.Contains(v.ResponseId))
                return Fail($"principle.verdicts[{i}].responseId: {v.ResponseId} is not a response of task {task.TaskId}.");
            if (!task.PrincipleIds.Contains(v.PrincipleId))
                return Fail($"principle.verdicts[{i}].principleId: {v.PrincipleId} is not a principle of this project.");
            if (v.Verdict is < 0 or > 2)
                return Fail($"principle.verdicts[{i}].verdict: must be 0 (no), 1 (yes) or 2 (not applicable), got {v.Verdict}.");
        }
        var missing = task.ResponseIds.SelectMany(r => task.PrincipleIds.Order().Select(p => (r, p)))
            .FirstOrDefault(pair => !verdicts.Any(v => v.ResponseId == pair.r && v.PrincipleId == pair.p));
        if (missing != default)
            return Fail($"principle.verdicts: no verdict for response {missing.r} on principle {missing.p}; every principle needs yes, no or not applicable for every response.");
        return (new PrincipleAnnotation(context, verdicts.Select(v =>
            new PrincipleVerdict(v.ResponseId, v.PrincipleId, (Verdict)v.Verdict, string.IsNullOrWhiteSpace(v.Evidence) ? null : v.Evidence)).ToList()), null);
    }

    private static bool IsPermutation(IReadOnlyList<int> given, IReadOnlyList<int> expected) =>
        given.Count == expected.Count && given.Order().SequenceEqual(expected.Order());

    private static string Name(TaskKind kind) => kind.ToString().ToLowerInvariant();

    private static (Annotation?, string?) Fail(string error) => (null, error);
}
