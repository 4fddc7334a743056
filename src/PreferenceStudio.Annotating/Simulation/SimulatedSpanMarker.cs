namespace PreferenceStudio.Annotating.Simulation;

/// <summary>
/// Marks error spans as a noisy person would: each error word of the taxonomy is marked with its category, except
/// that it is missed with probability <see cref="MissRate"/>; each other word is marked, with probability
/// <see cref="FalseMarkRate"/>, as an error of a category drawn uniformly. At both rates 0 it marks exactly the
/// taxonomy's errors. The seed fixes the noise.
/// </summary>
public sealed class SimulatedSpanMarker
{
    private readonly Random random;

    public SimulatedSpanMarker(ErrorTaxonomy taxonomy, double missRate, double falseMarkRate, int seed)
    {
        ArgumentNullException.ThrowIfNull(taxonomy);
        if (missRate is < 0 or > 1 || double.IsNaN(missRate))
            throw new ArgumentOutOfRangeException(nameof(missRate), missRate, "the miss rate is a probability in [0, 1]");
        if (falseMarkRate is < 0 or > 1 || double.IsNaN(falseMarkRate))
            throw new ArgumentOutOfRangeException(nameof(falseMarkRate), falseMarkRate, "the false-mark rate is a probability in [0, 1]");
        Taxonomy = taxonomy;
        MissRate = missRate;
        FalseMarkRate = falseMarkRate;
        random = new Random(seed);
    }

    public ErrorTaxonomy Taxonomy { get; }

    public double MissRate { get; }

    public double FalseMarkRate { get; }

    /// <summary>The spans this annotator marks on <paramref name="text"/>, in text order, one per marked word.</summary>
    public IReadOnlyList<ErrorSpan> Mark(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spans = new List<ErrorSpan>();
        var names = Taxonomy.CategoryNames;
        string? previous = null;
        foreach (var (start, end) in ErrorTaxonomy.Words(text))
        {
            var word = text[start..end];
            // One draw per word whatever it is, so the noise of one word does not shift which draw the next one gets.
            var draw = random.NextDouble();
            var pick = random.Next(names.Count);
            var category = Taxonomy.CategoryOf(word, previous);
            previous = word;
            if (category is not null)
            {
                if (draw >= MissRate) spans.Add(new ErrorSpan(start, end, category));
            }
            else if (draw < FalseMarkRate)
                spans.Add(new ErrorSpan(start, end, names[pick]));
        }
        return spans;
    }
}
