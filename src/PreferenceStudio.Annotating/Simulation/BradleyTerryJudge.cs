namespace PreferenceStudio.Annotating.Simulation;

/// <summary>
/// Judges responses as a noisy person would, by the Bradley–Terry model (Bradley &amp; Terry 1952):
/// P(a ≻ b) = σ((s(a) − s(b)) / T), with s the hidden <see cref="IResponsePreference"/> and T the temperature. At T → 0
/// the judge always picks the higher score; larger T means more disagreement with its own taste. A ranking is drawn
/// from the Plackett–Luce model with the same scores (Gumbel-max: sort s/T + Gumbel noise), whose top pair follows the
/// same logistic odds.
/// </summary>
public sealed class BradleyTerryJudge
{
    private readonly Random _random;

    public BradleyTerryJudge(IResponsePreference preference, double temperature, int seed)
    {
        ArgumentNullException.ThrowIfNull(preference);
        if (!(temperature > 0) || !double.IsFinite(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be a positive number");
        Preference = preference;
        Temperature = temperature;
        _random = new Random(seed);
    }

    public IResponsePreference Preference { get; }
    public double Temperature { get; }

    /// <summary>P(a ≻ b) under the judge's noise.</summary>
    public double Probability(string a, string b) => Sigmoid((Preference.Score(a) - Preference.Score(b)) / Temperature);

    /// <summary>One noisy judgement: true when <paramref name="a"/> is preferred.</summary>
    public bool Prefers(string a, string b) => _random.NextDouble() < Probability(a, b);

    /// <summary>Indices of <paramref name="texts"/> from best to worst, drawn from Plackett–Luce.</summary>
    public int[] Rank(IReadOnlyList<string> texts) =>
        Enumerable.Range(0, texts.Count)
            .Select(i => (Index: i, Key: Preference.Score(texts[i]) / Temperature + Gumbel()))
            .OrderByDescending(x => x.Key).Select(x => x.Index).ToArray();

    /// <summary>
    /// The best accuracy any model can reach at predicting this judge's choices on these pairs: it predicts the
    /// likelier side, and is right with probability max(p, 1 − p). The reward model's held-out accuracy is read against it.
    /// </summary>
    public double BayesAccuracy(IEnumerable<(string A, string B)> pairs)
    {
        var (sum, count) = (0.0, 0);
        foreach (var (a, b) in pairs)
        {
            var p = Probability(a, b);
            sum += Math.Max(p, 1 - p);
            count++;
        }
        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>
    /// The accuracy a model's predictions are expected to reach against this judge's choices on these pairs, with the
    /// judge's noise averaged out instead of drawn: Σ P(judge picks the model's side) / n. The model picks A when its
    /// margin r(A) − r(B) is positive, B when it is negative, and on a tie (margin 0) is right half the time. Read
    /// beside <see cref="BayesAccuracy"/> on the same pairs, the difference is the model's own shortfall, free of the
    /// binomial noise of scoring it on one draw of noisy labels.
    /// </summary>
    public double ExpectedAccuracy(IEnumerable<(string A, string B, double Margin)> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var (sum, count) = (0.0, 0);
        foreach (var (a, b, margin) in predictions)
        {
            if (double.IsNaN(margin))
                throw new ArgumentException($"predictions[{count}]: the margin is NaN", nameof(predictions));
            var p = Probability(a, b);
            sum += margin > 0 ? p : margin < 0 ? 1 - p : 0.5;
            count++;
        }
        return count == 0 ? double.NaN : sum / count;
    }

    private double Gumbel() => -Math.Log(-Math.Log(1 - _random.NextDouble()));

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
