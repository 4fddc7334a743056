namespace PreferenceStudio.Annotating.Simulation;

/// <summary>An error category a simulated annotator knows: its name (as span labels store it) and the words that are
/// errors of it, matched whole and case-insensitively; with <paramref name="Repeats"/>, also every word that repeats
/// the word before it ("the the"), the stutter a policy falls into when a reward does not see it.</summary>
public sealed record ErrorCategory(string Name, IReadOnlyList<string> Words, bool Repeats = false);

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
            if (category.Words.Count == 0 && !category.Repeats)
                throw new ArgumentException($"error category '{category.Name}' has no words and does not mark repeats", nameof(categories));
            foreach (var word in category.Words)
            {
                if (word.Length == 0 || !word.All(char.IsLetterOrDigit))
                    throw new ArgumentException($"error category '{category.Name}': '{word}' is not one word of letters and digits", nameof(categories));
                if (categoryOfWord.TryGetValue(word, out var other))
                    throw new ArgumentException($"'{word}' is an error word of both '{other}' and '{category.Name}'", nameof(categories));
                categoryOfWord[word] = category.Name;
            }
        }
        var repeating = categories.Where(c => c.Repeats).ToList();
        if (repeating.Count > 1)
            throw new ArgumentException($"only one category may mark repeated words, got {string.Join(", ", repeating.Select(c => c.Name))}", nameof(categories));
        repeatCategory = repeating.FirstOrDefault()?.Name;
        Categories = [.. categories];
    }

    private readonly string? repeatCategory;

    public IReadOnlyList<ErrorCategory> Categories { get; }

    public IReadOnlyList<string> CategoryNames => Categories.Select(c => c.Name).ToList();

    /// <summary>Every error word of <paramref name="text"/>, in order, with its category; a listed word takes its
    /// list's category before the repeat category.</summary>
    public IReadOnlyList<ErrorSpan> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spans = new List<ErrorSpan>();
        string? previous = null;
        foreach (var (start, end) in Words(text))
        {
            var word = text[start..end];
            if (CategoryOf(word, previous) is { } category) spans.Add(new ErrorSpan(start, end, category));
            previous = word;
        }
        return spans;
    }

    /// <summary>How many error words of <paramref name="category"/> the text holds.</summary>
    public int Count(string text, string category) => Find(text).Count(s => s.Category == category);

    /// <summary>The category of a word after <paramref name="previous"/> (null at the start), or null when it is no error.</summary>
    public string? CategoryOf(string word, string? previous = null) =>
        categoryOfWord.GetValueOrDefault(word)
        ?? (repeatCategory is not null && previous is not null && string.Equals(word, previous, StringComparison.OrdinalIgnoreCase) ? repeatCategory : null);

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
