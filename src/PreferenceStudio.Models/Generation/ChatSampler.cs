using PreferenceStudio.Models.Tokenization;

namespace PreferenceStudio.Models.Generation;

/// <summary>One sampled answer: its text without special tokens, and the tokens it took (its stop token included).</summary>
public sealed record ChatSample(string Text, int Tokens, bool Stopped);

/// <summary>
/// Answers conversations with a chat policy: each conversation rendered in ChatML with the assistant's turn opened,
/// each answer ending at the tokenizer's end of turn (&lt;|im_end|&gt;) or end of text. One conversation's answers are
/// rows of the same batch; the same seed gives the same answers.
/// </summary>
public sealed class ChatSampler(CausalLM model, BpeTokenizer tokenizer)
{
    private static readonly string[] StopStrings = [ChatML.End, "<|endoftext|>"];

    /// <summary>The ids answers stop at: every one of <see cref="StopStrings"/> the tokenizer has.</summary>
    public IReadOnlyList<long> StopTokens { get; } = StopStrings.Select(tokenizer.TokenToId).OfType<long>().ToList() is { Count: > 0 } stops
        ? stops
        : throw new InvalidOperationException($"the tokenizer has no {ChatML.End} token: the policy is not a ChatML chat model");

    public long[] Encode(IReadOnlyList<ChatMessage> conversation) => tokenizer.Encode(ChatML.Format(conversation));

    /// <summary>
    /// <paramref name="perConversation"/> answers to each conversation, in order: result[i][j] is the j-th answer to
    /// conversation i. <paramref name="options"/>' stop and pad tokens are the sampler's own.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<ChatSample>> Sample(IReadOnlyList<IReadOnlyList<ChatMessage>> conversations, int perConversation, GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        ArgumentOutOfRangeException.ThrowIfLessThan(perConversation, 1);
        var rows = conversations.Select(Encode).SelectMany(p => Enumerable.Repeat(p, perConversation)).ToList();
        var generated = Generator.Generate(model, rows, options with { StopTokens = [.. StopTokens], PadTokenId = StopTokens[0] });
        return Enumerable.Range(0, conversations.Count)
            .Select(i => (IReadOnlyList<ChatSample>)generated.Skip(i * perConversation).Take(perConversation)
                .Select(s => new ChatSample(Clean(tokenizer.Decode(s.Tokens, skipSpecialTokens: true)), s.Tokens.Length, s.Stopped)).ToList())
            .ToList();
    }

    /// <summary>
    /// The answer as storable, re-readable text: trimmed, without NUL characters, and without the control strings that
    /// would turn into special tokens when the answer is tokenized again for training.
    /// </summary>
    public string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var control in tokenizer.AddedTokens.Select(t => t.Content).Append(ChatML.Start).Append(ChatML.End))
            text = text.Replace(control, "", StringComparison.Ordinal);
        return text.Replace("\0", "", StringComparison.Ordinal).Trim();
    }
}
