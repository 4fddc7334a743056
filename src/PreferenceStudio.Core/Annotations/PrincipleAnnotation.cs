using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Core.Annotations;

public enum Verdict
{
    No = 0,
    Yes = 1,
    NotApplicable = 2,
}

/// <summary>Does one response satisfy one principle (RLBFF's binary, principle-following feedback).</summary>
public sealed record PrincipleVerdict(int ResponseId, int PrincipleId, Verdict Verdict, string? Evidence);

public sealed class PrincipleAnnotation : Annotation
{
    private readonly List<PrincipleVerdict> _verdicts = [];

    private PrincipleAnnotation() { }

    public PrincipleAnnotation(AnnotationContext context, IReadOnlyList<PrincipleVerdict> verdicts)
        : base(TaskKind.Principle, context)
    {
        if (verdicts.Count == 0)
            throw new DomainException("A principle annotation has at least one verdict.");
        if (verdicts.Select(v => (v.ResponseId, v.PrincipleId)).Distinct().Count() != verdicts.Count)
            throw new DomainException("Each (response, principle) pair gets one verdict.");
        if (verdicts.Any(v => !Enum.IsDefined(v.Verdict)))
            throw new DomainException("A verdict is yes, no or not applicable.");
        if (verdicts.Any(v => v.Evidence is { Length: > 2000 }))
            throw new DomainException("Evidence has at most 2000 characters.");
        _verdicts.AddRange(verdicts);
    }

    public IReadOnlyList<PrincipleVerdict> Verdicts => _verdicts;
}
