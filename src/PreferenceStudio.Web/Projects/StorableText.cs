namespace PreferenceStudio.Web.Projects;

/// <summary>
/// Text from a circuit event reaches us without the edge's form guard: PostgreSQL refuses NUL in text, and half a
/// surrogate pair is no character, so both are refused here with a message that says what to fix.
/// </summary>
public static class StorableText
{
    /// <summary>What is wrong with the text for storage, or null when it can be stored.</summary>
    public static string? Problem(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
                return $"contains a NUL character at position {i + 1}, which cannot be stored; remove it.";
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(c))
                return $"holds half of a UTF-16 surrogate pair at position {i + 1}, which is not a character; fix the text.";
        }
        return null;
    }
}
