namespace PreferenceStudio.Annotating;

/// <summary>
/// What the workspace posts. Exactly one answer is set, the one of the task's kind. The idempotency key is made once
/// per display of a task, so a retried or double-clicked submit stores one label.
/// </summary>
public sealed record SubmitRequest(
    Guid IdempotencyKey,
    long TimeSpentMs,
    IReadOnlyList<int>? ShownOrder,
    string? Rationale,
    PairwiseAnswer? Pairwise = null,
    RankingAnswer? Ranking = null,
    SpanAnswer? Span = null,
    PrincipleAnswer? Principle = null);

/// <summary>Preference from -2 (A much better) to 2 (B much better); A is the response shown on the left.</summary>
public sealed record PairwiseAnswer(int ResponseAId, int ResponseBId, int Preference, bool BothBad);

public sealed record RankingAnswer(IReadOnlyList<RankItem>? Entries);

public sealed record RankItem(int ResponseId, int Rank);

public sealed record SpanAnswer(IReadOnlyList<SpanItem>? Spans, IReadOnlyList<FlagItem>? Flags);

/// <summary>[Start, End) in UTF-16 code units of the response text. Severity 1 minor, 2 major, 3 critical.</summary>
public sealed record SpanItem(int ResponseId, int Start, int End, int LabelId, int? Severity, string? Comment);

public sealed record FlagItem(int ResponseId, string Flag);

public sealed record PrincipleAnswer(IReadOnlyList<VerdictItem>? Verdicts);

/// <summary>Verdict 0 no, 1 yes, 2 not applicable.</summary>
public sealed record VerdictItem(int ResponseId, int PrincipleId, int Verdict, string? Evidence);

/// <summary>What a stored submit answers: the label, and whether this request stored it or found it stored.</summary>
public sealed record SubmitReceipt(long AnnotationId, long TaskId, int Version, bool AlreadyStored, bool Late, string Message);
