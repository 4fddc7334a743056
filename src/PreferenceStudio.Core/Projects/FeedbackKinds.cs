namespace PreferenceStudio.Core.Projects;

/// <summary>The kinds of feedback a project collects; a project may use several.</summary>
[Flags]
public enum FeedbackKinds
{
    None = 0,
    Pairwise = 1,
    Ranking = 2,
    Span = 4,
    Principle = 8,
}

/// <summary>The kind of one task; exactly one of <see cref="FeedbackKinds"/>.</summary>
public enum TaskKind
{
    Pairwise = 1,
    Ranking = 2,
    Span = 4,
    Principle = 8,
}
