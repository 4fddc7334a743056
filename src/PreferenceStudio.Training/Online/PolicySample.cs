namespace PreferenceStudio.Training.Online;

/// <summary>One sampled response: its tokens (ending with the stop token when <see cref="Stopped"/>) and its text
/// without special tokens.</summary>
public sealed record PolicySample(IReadOnlyList<long> Tokens, string Text, bool Stopped);

/// <summary>A prompt as the policy read it (chat-formatted tokens) and the K responses sampled for it.</summary>
public sealed record SampledPrompt(string Prompt, IReadOnlyList<long> PromptTokens, IReadOnlyList<PolicySample> Responses)
{
    /// <summary>The comparison of two of this prompt's responses, <paramref name="chosen"/> preferred.</summary>
    public PreferencePair Pair(int chosen, int rejected) =>
        new(PromptTokens, Responses[chosen].Tokens, Responses[rejected].Tokens);
}
