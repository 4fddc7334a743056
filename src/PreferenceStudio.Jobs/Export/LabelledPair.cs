using PreferenceStudio.Core.Prompts;

namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// One preference pair in text, with where it came from: the kind of label, the task(s) and annotator(s) whose labels
/// made it, its weight as a training example, and when the newest of those labels was given.
/// <see cref="Margin"/> is the pairwise strength (1 better, 2 much better), the rank difference, or 1 for a principle.
/// </summary>
public sealed record LabelledPair(
    PairSourceKind Source,
    int PromptId,
    IReadOnlyList<ChatTurn> Prompt,
    int ChosenId,
    string Chosen,
    int RejectedId,
    string Rejected,
    int Margin,
    double Weight,
    IReadOnlyList<long> TaskIds,
    IReadOnlyList<string> Annotators,
    DateTimeOffset LabelledAt,
    string? PrincipleKey = null);
