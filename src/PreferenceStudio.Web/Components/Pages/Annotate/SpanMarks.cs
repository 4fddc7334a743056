using PreferenceStudio.Annotating;
using PreferenceStudio.Core.Annotations;

namespace PreferenceStudio.Web.Components.Pages.Annotate;

/// <summary>
/// The spans and whole-response flags marked so far. Offsets are UTF-16 code units, [start, end), as the browser
/// measures a selection and as .NET indexes a string; a span never splits a surrogate pair.
/// </summary>
public sealed class SpanMarks
{
    public List<SpanItem> Spans { get; set; } = [];
    public List<FlagItem> Flags { get; set; } = [];

    public static SpanMarks From(SpanAnnotation? stored) => stored is null
        ? new SpanMarks()
        : new SpanMarks
        {
            Spans = stored.Spans.Select(s => new SpanItem(s.ResponseId, s.Start, s.End, s.LabelId, (int?)s.Severity, s.Comment)).ToList(),
            Flags = stored.Flags.Select(f => new FlagItem(f.ResponseId, f.Flag)).ToList(),
        };

    /// <summary>
    /// A mouse selection as a span: surrounding white space dropped, widened to whole surrogate pairs. Null when
    /// nothing but white space (or nothing) was selected.
    /// </summary>
    public static (int Start, int End)? Normalize(string text, int start, int end)
    {
        (start, end) = (Math.Clamp(Math.Min(start, end), 0, text.Length), Math.Clamp(Math.Max(start, end), 0, text.Length));
        while (start < end && char.IsWhiteSpace(text[start]))
            start++;
        while (end > start && char.IsWhiteSpace(text[end - 1]))
            end--;
        if (start > 0 && start < text.Length && char.IsLowSurrogate(text[start]) && char.IsHighSurrogate(text[start - 1]))
            start--;
        if (end > 0 && end < text.Length && char.IsLowSurrogate(text[end]) && char.IsHighSurrogate(text[end - 1]))
            end++;
        return end > start ? (start, end) : null;
    }

    /// <summary>The marked span a new one at [start, end) would overlap, if any (<paramref name="except"/> is the one being edited).</summary>
    public int? Overlapping(int responseId, int start, int end, int? except = null)
    {
        for (var i = 0; i < Spans.Count; i++)
            if (i != except && Spans[i].ResponseId == responseId && Spans[i].Start < end && start < Spans[i].End)
                return i;
        return null;
    }

    public void Save(SpanItem span, int? index)
    {
        if (index is { } i && i >= 0 && i < Spans.Count)
            Spans[i] = span;
        else
            Spans.Add(span);
    }

    public void Remove(int index)
    {
        if (index >= 0 && index < Spans.Count)
            Spans.RemoveAt(index);
    }

    public bool IsFlagged(int responseId, string flag) => Flags.Any(f => f.ResponseId == responseId && f.Flag == flag);

    public void SetFlag(int responseId, string flag, bool on)
    {
        Flags.RemoveAll(f => f.ResponseId == responseId && f.Flag == flag);
        if (on)
            Flags.Add(new FlagItem(responseId, flag));
    }

    /// <summary>
    /// The response text cut at the marked spans, in order: plain pieces carry no index, marked pieces the index of
    /// their span. Concatenated they are the text itself, so offsets measured in the page are offsets in the text.
    /// </summary>
    public IReadOnlyList<(string Text, int? Index)> Segments(int responseId, string text)
    {
        var result = new List<(string, int?)>();
        var at = 0;
        foreach (var (span, index) in Spans.Select((s, i) => (s, i)).Where(x => x.s.ResponseId == responseId).OrderBy(x => x.s.Start))
        {
            if (span.Start < at || span.End > text.Length)
                continue; // a stale or overlapping span is not drawn; the server refuses it on submit with its reason
            if (span.Start > at)
                result.Add((text[at..span.Start], null));
            result.Add((text[span.Start..span.End], index));
            at = span.End;
        }
        if (at < text.Length)
            result.Add((text[at..], null));
        return result;
    }

    public SpanAnswer ToAnswer() => new(Spans.ToList(), Flags.ToList());
}
