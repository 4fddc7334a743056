using PreferenceStudio.Annotating;

namespace PreferenceStudio.Web.Components.Pages.Annotate;

/// <summary>The span being marked or changed in the editor: where it is, and the type, severity and comment so far.</summary>
public sealed class SpanEdit
{
    public int ResponseId { get; init; }
    public int Start { get; init; }
    public int End { get; init; }
    /// <summary>The marked span being changed; null for a new one.</summary>
    public int? Index { get; init; }
    public int LabelId { get; set; }
    public int? Severity { get; set; }
    public string? Comment { get; set; }

    /// <summary>A new span from a mouse selection, or why there is none (only white space, or over a marked span).</summary>
    public static (SpanEdit? Edit, string? Error) FromSelection(SpanMarks marks, TaskView view, int responseId, int start, int end)
    {
        var response = view.Responses.FirstOrDefault(r => r.Id == responseId);
        if (response is null || view.SpanLabels.Count == 0)
            return (null, null);
        if (SpanMarks.Normalize(response.Text, start, end) is not var (s, e))
            return (null, null);
        if (marks.Overlapping(responseId, s, e) is not null)
            return (null, "That stretch overlaps a marked span: edit or remove that one instead.");
        var label = view.SpanLabels[0];
        return (new SpanEdit { ResponseId = responseId, Start = s, End = e, LabelId = label.Id, Severity = label.UsesSeverity ? 2 : null }, null);
    }

    public static SpanEdit Of(SpanItem span, int index) => new()
    {
        ResponseId = span.ResponseId, Start = span.Start, End = span.End, Index = index,
        LabelId = span.LabelId, Severity = span.Severity, Comment = span.Comment,
    };

    /// <summary>The span to keep: no severity for a type that has none, a blank comment dropped.</summary>
    public SpanItem ToSpan(bool usesSeverity) =>
        new(ResponseId, Start, End, LabelId, usesSeverity ? Severity ?? 2 : null, string.IsNullOrWhiteSpace(Comment) ? null : Comment.Trim());
}
