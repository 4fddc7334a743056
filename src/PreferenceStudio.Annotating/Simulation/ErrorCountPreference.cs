namespace PreferenceStudio.Annotating.Simulation;

/// <summary>An annotator's overall judgement when it knows the errors: minus one point per error word, of any
/// category (weights per category otherwise), so the response with fewer errors is better.</summary>
public sealed class ErrorCountPreference(ErrorTaxonomy taxonomy, IReadOnlyDictionary<string, double>? weights = null) : IResponsePreference
{
    public string Description => "fewer errors (" + string.Join(", ", taxonomy.CategoryNames.Select(c => $"{c} {Weight(c):G3}")) + " per word)";

    public double Score(string text) => -taxonomy.Find(text).Sum(s => Weight(s.Category));

    private double Weight(string category) => weights?.GetValueOrDefault(category, 1.0) ?? 1.0;
}
