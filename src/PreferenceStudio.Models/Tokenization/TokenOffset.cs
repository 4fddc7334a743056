namespace PreferenceStudio.Models.Tokenization;

/// <summary>The UTF-16 range [Start, End) of the text a token came from; empty for a prefix space the tokenizer added.</summary>
public readonly record struct TokenOffset(int Start, int End)
{
    /// <summary>Whether the token and [start, end) share at least one character.</summary>
    public bool Overlaps(int start, int end) => Start < end && start < End;
}
