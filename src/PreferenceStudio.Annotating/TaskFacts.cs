using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Annotating;

/// <summary>
/// What validating an answer needs to know about its task and project. The response texts are needed, and may only be
/// there, for span tasks, whose offsets are checked against them.
/// </summary>
public sealed record TaskFacts(
    long TaskId,
    TaskKind Kind,
    IReadOnlyList<int> ResponseIds,
    IReadOnlyDictionary<int, string> ResponseTexts,
    IReadOnlySet<int> PrincipleIds,
    IReadOnlySet<int> SpanLabelIds,
    bool AllowRankingTies);
