namespace PreferenceStudio.Annotating.Simulation;

/// <summary>An error category a simulated annotator knows: its name (as span labels store it) and the words that are
/// errors of it, matched whole and case-insensitively.</summary>
public sealed record ErrorCategory(string Name, IReadOnlyList<string> Words);

/// <summary>A marked stretch of a response: UTF-16 offsets [Start, End) and the error category's name.</summary>
public sealed record ErrorSpan(int Start, int End, string Category);

/// <summary>
/// Which words of a response are errors, and of which category: the ground truth a simulated annotator marks spans
/// and judges principles from. A word is a run of letters and digits (as <see cref="TargetWordsPreference.Words"/>
/// reads them), so "Moon." and "moon" are the same word and "moonlight" is another.
/// </summary>
public sealed class ErrorTaxonomy
{
    private readonly Dictionary<string, string> categoryOfWord = new(StringComparer.OrdinalIgnoreCase);

    public ErrorTaxonomy(IReadOnlyList<ErrorCategory> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        if (categories.Count == 0) throw new ArgumentException("an error taxonomy needs at least one category", nameof(categories));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var category in categories)
        {
            if (string.IsNullOrWhiteSpace(category.Name)) throw new ArgumentException("every error category needs a name", nameof(categories));
            if (!names.Add(category.Name)) throw new ArgumentException($"error category '{category.Name}' is listed twice", nameof(categories));
            if (category.Words.Count == 0) throw new ArgumentException($"error category '{category.Name}' has no words", nameof(categories));
            foreach (var word in category.Words)
            {
                if (word.Length == 0 || !word.All(char.IsLetterOrDigit))
                    throw new ArgumentException($"error category '{category.Name}': '{word}' is not one word of letters and digits", nameof(categories));
                if (categoryOfWord.TryGetValue(word, out var other))
                    throw new ArgumentException($"'{word}' is an error word of both '{other}' and '{category.Name}'", nameof(categories));
                categoryOfWord[word] = category.Name;
            }
        }
        Categories = [.. categories];
    }

    public IReadOnlyList<ErrorCategory> Categories { get; }

    public IReadOnlyList<string> CategoryNames => Categories.Select(c => c.Name).ToList();

    /// <summary>Every error word of <paramref name="text"/>, in order, with its category.</summary>
    public IReadOnlyList<ErrorSpan> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Words(text).Where(w => categoryOfWord.ContainsKey(text[w.Start..w.End]))
            .Select(w => new ErrorSpan(w.Start, w.End, categoryOfWord[text[w.Start..w.End]])).ToList();
    }

    /// <summary>How many error words of <paramref name="category"/> the text holds.</summary>
    public int Count(string text, string category) => Find(text).Count(s => s.Category == category);

    /// <summary>The category of a word, or null when it is no error.</summary>
    public string? CategoryOf(string word) => categoryOfWord.GetValueOrDefault(word);

    /// <summary>Each word of the text as UTF-16 offsets [Start, End): runs of letters and digits.</summary>
    public static IEnumerable<(int Start, int End)> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
                start = i;
            else if (!inWord && start >= 0)
            {
                yield return (start, i);
                start = -1;
            }
        }
    }
}
