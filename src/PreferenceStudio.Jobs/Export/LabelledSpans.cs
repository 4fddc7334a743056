using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// One response as one annotator's current span label marked it: the prompt, the response's text, and the spans on
/// it (UTF-16 offsets, category key, severity 0–3), empty when the annotator found no error, which is a lesson too.
/// </summary>
public sealed record LabelledSpans(
    long LabelId,
    int PromptId,
    IReadOnlyList<ChatTurn> Prompt,
    int ResponseId,
    string Response,
    IReadOnlyList<TextSpan> Spans,
    long TaskId,
    string Annotator,
    DateTimeOffset LabelledAt)
{
    /// <summary>How errors about this example name it.</summary>
    public string Name => $"label {LabelId}, response {ResponseId}";

    /// <summary>The tokenized example: the prompt in ChatML with the assistant's turn opened, as the policy sees it
    /// when it writes a response, and the response tagged by <paramref name="builder"/>.</summary>
    public SpanExample ToExample(SpanExampleBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Build(Name, ChatML.Format(Prompt.Select(t => new ChatMessage(t.Role, t.Content))), Response, Spans);
    }
}
