namespace PreferenceStudio.Training.Spans;

/// <summary>
/// One labelled response, tokenized for the span reward model: the prompt (already chat-formatted), the response's
/// tokens and, per response token, the index of its error category, 0 for none (category c of the taxonomy is c + 1).
/// </summary>
public sealed record SpanExample(IReadOnlyList<long> Prompt, IReadOnlyList<long> Response, IReadOnlyList<int> Tags)
{
    public int Length => Prompt.Count + Response.Count;
}

/// <summary>
/// A marked stretch of a response text: UTF-16 offsets [Start, End) as the span labels store them, the error
/// category's name, and its severity (1 minor, 2 major, 3 critical; 0 when the category takes none).
/// </summary>
public sealed record TextSpan(int Start, int End, string Category, int Severity = 0);
