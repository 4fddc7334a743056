using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Core.Annotations;

public enum Severity
{
    Minor = 1,
    Major = 2,
    Critical = 3,
}

/// <summary>
/// A marked stretch of a response. Offsets are UTF-16 code units, [Start, End), as both the browser's
/// JavaScript strings and .NET strings count them.
/// </summary>
public sealed record MarkedSpan(int ResponseId, int Start, int End, int LabelId, Severity? Severity, string? Comment);

/// <summary>A flag on a whole response, e.g. "incomplete" (Fine-Grained RLHF's information-completeness level).</summary>
public sealed record ResponseFlag(int ResponseId, string Flag);

public sealed class SpanAnnotation : Annotation
{
    private readonly List<MarkedSpan> _spans = [];
    private readonly List<ResponseFlag> _flags = [];

    private SpanAnnotation() { }

    public SpanAnnotation(AnnotationContext context, IReadOnlyList<MarkedSpan> spans, IReadOnlyList<ResponseFlag> flags)
        : base(TaskKind.Span, context)
    {
        for (var i = 0; i < spans.Count; i++)
        {
            var s = spans[i];
            if (s.Start < 0 || s.End <= s.Start)
                throw new DomainException($"Span {i}: [{s.Start}, {s.End}) is not a non-empty range.");
            if (s.Comment is { Length: > 2000 })
                throw new DomainException($"Span {i}: a comment has at most 2000 characters.");
        }
        if (flags.Distinct().Count() != flags.Count)
            throw new DomainException("A response flag is given once.");
        _spans.AddRange(spans);
        _flags.AddRange(flags);
    }

    public IReadOnlyList<MarkedSpan> Spans => _spans;
    public IReadOnlyList<ResponseFlag> Flags => _flags;
}
