using PreferenceStudio.Models.Tokenization;

namespace PreferenceStudio.Training.Principles;

/// <summary>
/// The one input format of the principle reward model, in ChatML: the conversation with the assistant's turn
/// opened, the response closed by &lt;|im_end|&gt;, then a judging turn that names the principle, and the assistant's
/// turn opened again:
/// <code>
/// &lt;|im_start|&gt;user\n{prompt}&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n{response}&lt;|im_end|&gt;\n
/// &lt;|im_start|&gt;user\nPrinciple: {principle}\nDoes the response satisfy it?&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n
/// </code>
/// The score is read at the last token, the place where a judge would answer "yes" or "no" (RLBFF's entailment
/// question: does this response satisfy this principle). The principle comes after the response, not before it, so
/// that a PPO sample's prompt and response tokens are used as they are and only the judging turn is appended; the
/// last token attends to all of it either way.
/// </summary>
public sealed class PrincipleTemplate
{
    /// <summary>What the judging turn says around the principle's text.</summary>
    public const string PrincipleLabel = "Principle: ";
    public const string Question = "\nDoes the response satisfy it?";

    private readonly BpeTokenizer tokenizer;
    private readonly long end;

    public PrincipleTemplate(BpeTokenizer tokenizer)
    {
        this.tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        end = tokenizer.TokenToId(ChatML.End)
            ?? throw new ArgumentException($"the tokenizer has no {ChatML.End} token, which ChatML needs", nameof(tokenizer));
        if (tokenizer.TokenToId(ChatML.Start) is null)
            throw new ArgumentException($"the tokenizer has no {ChatML.Start} token, which ChatML needs", nameof(tokenizer));
    }

    /// <summary>The text after the response's &lt;|im_end|&gt;: the judging turn and the opened answer.</summary>
    public static string JudgingTurn(string principle)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(principle);
        // ChatML.Format refuses control tokens in a message, so a principle cannot forge turns of its own.
        return "\n" + ChatML.Format([new ChatMessage("user", PrincipleLabel + principle.Trim() + Question)]);
    }

    /// <summary>The token ids of a labelled conversation: prompt messages (ending with the user's), the response's text and the principle's.</summary>
    public long[] Encode(IReadOnlyList<ChatMessage> prompt, string response, string principle)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(response);
        if (prompt.Count == 0 || prompt[^1].Role != "user")
            throw new ArgumentException("the prompt must end with a user message", nameof(prompt));
        if (response.Contains(ChatML.Start, StringComparison.Ordinal) || response.Contains(ChatML.End, StringComparison.Ordinal))
            throw new ArgumentException("the response contains a ChatML control token", nameof(response));
        return Encode(tokenizer.Encode(ChatML.Format(prompt)), tokenizer.Encode(response), principle);
    }

    /// <summary>
    /// The token ids for a prompt already chat-formatted (the assistant's turn opened, as a PPO sample's) and a
    /// response's tokens, which may or may not end with &lt;|im_end|&gt; already (a sample that stopped does).
    /// </summary>
    public long[] Encode(IReadOnlyList<long> prompt, IReadOnlyList<long> response, string principle)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(response);
        var closed = response.Count > 0 && response[^1] == end;
        return [.. prompt, .. response, .. (closed ? Array.Empty<long>() : [end]), .. tokenizer.Encode(JudgingTurn(principle))];
    }
}
