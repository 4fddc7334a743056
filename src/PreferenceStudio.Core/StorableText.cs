namespace PreferenceStudio.Core;

/// <summary>
/// The one rule for free text that PostgreSQL must store: no NUL character (its text type refuses U+0000, and jsonb
/// refuses the \u0000 escape) and no half of a UTF-16 surrogate pair (not a character; UTF-8 cannot encode it).
/// Every way text comes in (JSON bodies, forms, imports, the pages' circuit) checks it here and says what is wrong
/// with the same words, so a user never meets a 500 from the database instead.
/// </summary>
public static class StorableText
{
    public const string Nul = "contains a NUL character (\\u0000), which cannot be stored; remove it.";
    public const string LoneSurrogate = "holds half of a UTF-16 surrogate pair (an escape such as \\ud800 without its partner), which is not a character; fix the text.";

    /// <summary>What makes the text unstorable (<see cref="Nul"/> or <see cref="LoneSurrogate"/>), or null when it can be stored.</summary>
    public static string? Problem(string? text)
    {
        if (text is null)
            return null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
                return Nul;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(c))
                return LoneSurrogate;
        }
        return null;
    }

    /// <summary>"field: problem" for the first unstorable field, or null when every one can be stored.</summary>
    public static string? FirstProblem(params (string Field, string? Text)[] fields)
    {
        foreach (var (field, text) in fields)
            if (Problem(text) is { } problem)
                return $"{field}: {problem}";
        return null;
    }
}
