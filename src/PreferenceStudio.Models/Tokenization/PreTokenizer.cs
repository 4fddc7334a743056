namespace PreferenceStudio.Models.Tokenization;

/// <summary>The splitting regexes of the Hugging Face byte-level tokenizers, as written in their tokenizer.json.</summary>
public static class PreTokenizerPatterns
{
    /// <summary>GPT-2 (ByteLevel pre-tokenizer with use_regex: true).</summary>
    public const string Gpt2 = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>Qwen2: case-insensitive contractions, single digits, newlines kept apart.</summary>
    public const string Qwen2 = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Llama 3: as Qwen2 but digits in groups of up to three.</summary>
    public const string Llama3 = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
}
