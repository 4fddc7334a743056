using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;

namespace PreferenceStudio.Annotating;

/// <summary>Everything one task's page shows. Texts are untrusted and rendered encoded.</summary>
public sealed record TaskView(
    long TaskId,
    TaskKind Kind,
    IReadOnlyList<ChatTurn> Conversation,
    IReadOnlyList<ShownResponse> Responses,
    IReadOnlyList<Principle> Principles,
    IReadOnlyList<SpanLabel> SpanLabels,
    bool AllowRankingTies,
    Annotation? Current);

/// <summary>A response at the place it is shown; Letter is A, B, C... in display order.</summary>
public sealed record ShownResponse(int Id, string Letter, string Text);
