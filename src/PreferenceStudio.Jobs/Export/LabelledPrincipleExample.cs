using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training.Principles;

namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// One response judged on one principle, in text, as the principle reward model trains on it: the majority verdict
/// of its annotators (<see cref="Satisfied"/>), the votes behind it, and where it came from.
/// </summary>
public sealed record LabelledPrincipleExample(
    int PromptId,
    IReadOnlyList<ChatTurn> Prompt,
    int ResponseId,
    string Response,
    string PrincipleKey,
    string PrincipleText,
    bool Satisfied,
    int YesVotes,
    int NoVotes,
    IReadOnlyList<long> TaskIds,
    IReadOnlyList<string> Annotators,
    DateTimeOffset LabelledAt)
{
    /// <summary>The training example: prompt, response and principle text tokenized in the template's format, weight 1.</summary>
    public PrincipleExample ToTraining(PrincipleTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return PrincipleExample.From(template, Prompt.Select(t => new ChatMessage(t.Role, t.Content)).ToList(), Response,
            PrincipleKey, PrincipleText, Satisfied);
    }
}
