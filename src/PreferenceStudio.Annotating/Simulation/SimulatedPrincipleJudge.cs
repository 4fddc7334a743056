namespace PreferenceStudio.Annotating.Simulation;

/// <summary>A principle a response should satisfy ("No made-up facts."), broken by any error word of
/// <see cref="Category"/>.</summary>
public sealed record ErrorPrinciple(string Text, string Category);

/// <summary>
/// Judges principles as a noisy person would: a response satisfies a principle when it holds no error word of the
/// principle's category; the verdict is flipped with probability <see cref="FlipRate"/>. At 0 it is exact. The seed
/// fixes the noise.
/// </summary>
public sealed class SimulatedPrincipleJudge
{
    private readonly Random random;

    public SimulatedPrincipleJudge(ErrorTaxonomy taxonomy, double flipRate, int seed)
    {
        ArgumentNullException.ThrowIfNull(taxonomy);
        if (flipRate is < 0 or > 1 || double.IsNaN(flipRate))
            throw new ArgumentOutOfRangeException(nameof(flipRate), flipRate, "the flip rate is a probability in [0, 1]");
        Taxonomy = taxonomy;
        FlipRate = flipRate;
        random = new Random(seed);
    }

    public ErrorTaxonomy Taxonomy { get; }

    public double FlipRate { get; }

    /// <summary>The truth, without noise: true when the text holds no error of the principle's category.</summary>
    public bool Satisfies(string text, ErrorPrinciple principle)
    {
        ArgumentNullException.ThrowIfNull(principle);
        if (!Taxonomy.CategoryNames.Contains(principle.Category))
            throw new ArgumentException($"principle '{principle.Text}' names category '{principle.Category}', which is not in the taxonomy ({string.Join(", ", Taxonomy.CategoryNames)})", nameof(principle));
        return Taxonomy.Count(text, principle.Category) == 0;
    }

    /// <summary>One noisy verdict: yes (true) or no.</summary>
    public bool Judge(string text, ErrorPrinciple principle)
    {
        var truth = Satisfies(text, principle);
        return random.NextDouble() < FlipRate ? !truth : truth;
    }
}
