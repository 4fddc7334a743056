namespace PreferenceStudio.Annotating.Simulation;

/// <summary>An annotator's overall judgement when it knows the errors: minus one point per error word, of any
/// category (weights per category otherwise), so the response with fewer errors is better. With
/// <paramref name="expectedSentences"/>, also minus one point per sentence short of it: counting errors alone makes
/// saying less always better, and a reader also judges what is missing, as Fine-Grained RLHF's annotators judge
/// information completeness by comparing whole answers, since no span can mark it.</summary>
public sealed class ErrorCountPreference(ErrorTaxonomy taxonomy, IReadOnlyDictionary<string, double>? weights = null,
    int expectedSentences = 0) : IResponsePreference
{
    public string Description => "fewer errors (" + string.Join(", ", taxonomy.CategoryNames.Select(c => $"{c} {Weight(c):G3}")) + " per word)" +
        (expectedSentences > 0 ? $", 1 per sentence short of {expectedSentences}" : "");

    public double Score(string text) =>
        -taxonomy.Find(text).Sum(s => Weight(s.Category)) - Math.Max(0, expectedSentences - Sentences(text));

    /// <summary>Sentences: runs of text ended by '.', '!', '?' or the text's end that hold at least one letter or digit.</summary>
    public static int Sentences(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split(['.', '!', '?']).Count(s => s.Any(char.IsLetterOrDigit));
    }

    private double Weight(string category) => weights?.GetValueOrDefault(category, 1.0) ?? 1.0;
}
