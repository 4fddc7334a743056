namespace PreferenceStudio.Annotating;

/// <summary>
/// The order responses are shown in: shuffled per (task, annotator) against position bias, and the same on every
/// reload of the page so the annotator's view does not jump. The order actually shown is recorded with the label.
/// </summary>
public static class DisplayOrder
{
    public static IReadOnlyList<T> Shuffle<T>(IReadOnlyList<T> items, long taskId, string annotatorId)
    {
        var seed = unchecked((ulong)taskId * 0x9E3779B97F4A7C15UL);
        foreach (var c in annotatorId)
            seed = unchecked((seed ^ c) * 0x100000001B3UL);
        var result = items.ToArray();
        for (var i = result.Length - 1; i > 0; i--)
        {
            seed = unchecked(seed * 6364136223846793005UL + 1442695040888963407UL);
            var j = (int)((seed >> 33) % (ulong)(i + 1));
            (result[i], result[j]) = (result[j], result[i]);
        }
        return result;
    }
}
