using PreferenceStudio.Annotating;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Web.Components.Pages.Annotate;

/// <summary>
/// An answer in progress, as kept in the browser between circuits (see <see cref="DraftStore"/>). It holds the
/// idempotency key made when the task was first shown: every submit of this answer, retries included, sends it, so
/// the server stores one label however often the answer to a submit is lost.
/// </summary>
public sealed class AnswerDraft
{
    /// <summary>What the draft answers: "a{assignmentId}" for a leased task, "t{taskId}" for an edit of a stored label.</summary>
    public string Target { get; set; } = "";
    public long TaskId { get; set; }
    public Guid IdempotencyKey { get; set; }
    public DateTimeOffset ShownAt { get; set; }
    public List<int> ShownOrder { get; set; } = [];
    public string? Rationale { get; set; }
    public PairwiseChoice Pairwise { get; set; } = new();
    public RankingBoard Ranking { get; set; } = new();
    public SpanMarks Span { get; set; } = new();
    public PrincipleGrid Principle { get; set; } = new();

    public static string ForAssignment(long assignmentId) => $"a{assignmentId}";
    public static string ForEdit(long taskId) => $"t{taskId}";

    /// <summary>A fresh draft for a task as shown, starting from the annotator's current label when editing it.</summary>
    public static AnswerDraft Start(string target, TaskView view, DateTimeOffset now) => new()
    {
        Target = target,
        TaskId = view.TaskId,
        IdempotencyKey = Guid.NewGuid(),
        ShownAt = now,
        ShownOrder = view.Responses.Select(r => r.Id).ToList(),
        Rationale = view.Current?.Rationale,
        Pairwise = view.Kind == TaskKind.Pairwise ? PairwiseChoice.From(view.Current as PairwiseAnnotation, view.Responses[0].Id) : new(),
        Ranking = view.Kind == TaskKind.Ranking ? RankingBoard.From(view.Current as RankingAnnotation, view.Responses) : new(),
        Span = view.Kind == TaskKind.Span ? SpanMarks.From(view.Current as SpanAnnotation) : new(),
        Principle = view.Kind == TaskKind.Principle
            ? PrincipleGrid.From(view.Current as PrincipleAnnotation, view.Responses, view.Principles.Select(p => p.Id).ToList())
            : new(),
    };

    /// <summary>Whether a kept draft still fits the task on the page (same task, same responses in the same order).</summary>
    public bool Fits(string target, TaskView view) =>
        Target == target && TaskId == view.TaskId && ShownOrder.SequenceEqual(view.Responses.Select(r => r.Id));

    /// <summary>The keys of the task's own view; the workspace keys (Enter, g, s, p) are handled before these.</summary>
    public bool HandleKey(TaskView view, string key, bool shift) => view.Kind switch
    {
        TaskKind.Pairwise => Pairwise.HandleKey(key),
        TaskKind.Ranking => Ranking.HandleKey(key, shift, view.AllowRankingTies),
        TaskKind.Principle => Principle.HandleKey(key),
        _ => false,
    };

    /// <summary>The request to send, or what is still missing from the answer.</summary>
    public (SubmitRequest? Request, string? Error) ToRequest(TaskView view, DateTimeOffset now)
    {
        var spent = (long)Math.Clamp((now - ShownAt).TotalMilliseconds, 1, AnswerValidator.MaxTimeSpentMs);
        var rationale = string.IsNullOrWhiteSpace(Rationale) ? null : Rationale.Trim();
        var request = new SubmitRequest(IdempotencyKey, spent, ShownOrder.ToList(), rationale);
        switch (view.Kind)
        {
            case TaskKind.Pairwise:
                var (pairwise, error) = Pairwise.ToAnswer(view.Responses);
                return pairwise is null ? (null, error) : (request with { Pairwise = pairwise }, null);
            case TaskKind.Ranking:
                return (request with { Ranking = new RankingAnswer(Ranking.Ranks(view.AllowRankingTies)) }, null);
            case TaskKind.Span:
                return (request with { Span = Span.ToAnswer() }, null);
            default:
                var (principle, missing) = Principle.ToAnswer();
                return principle is null ? (null, missing) : (request with { Principle = principle }, null);
        }
    }
}
