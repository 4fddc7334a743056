namespace PreferenceStudio.Training.Principles;

/// <summary>
/// Held-out metrics of a principle model, gathered one example at a time: the weighted loss, the accuracy overall
/// and per principle (a verdict is predicted yes when p(yes) ≥ 0.5, i.e. the logit is ≥ 0; every example counts
/// once, whatever its weight, so the accuracy reads as a share of verdicts), and two calibration numbers: the mean
/// predicted p(yes) over the examples judged yes and over those judged no (1 and 0 for a perfect model, both at
/// the base rate for one that ignores its input), and the Brier score, the mean of (p − y)².
/// </summary>
public sealed class PrincipleMetrics
{
    private double lossSum, weightSum, brierSum, pYesSum, pNoSum;
    private int examples, correct, yes, no;
    private readonly SortedDictionary<string, (int Correct, int Examples)> perPrinciple = new(StringComparer.Ordinal);

    /// <summary>Adds one example: its principle, the model's logit, the verdict, the example's weight and loss.</summary>
    public void Add(string principle, double logit, bool satisfied, double weight, double loss)
    {
        ArgumentNullException.ThrowIfNull(principle);
        var p = 1 / (1 + Math.Exp(-logit));
        var right = (logit >= 0) == satisfied;
        examples++;
        if (right) correct++;
        var (c, n) = perPrinciple.GetValueOrDefault(principle);
        perPrinciple[principle] = (c + (right ? 1 : 0), n + 1);
        lossSum += weight * loss;
        weightSum += weight;
        brierSum += (p - (satisfied ? 1 : 0)) * (p - (satisfied ? 1 : 0));
        if (satisfied) { yes++; pYesSum += p; }
        else { no++; pNoSum += p; }
    }

    public int Examples => examples;

    /// <summary>"{prefix}loss", "{prefix}accuracy", "{prefix}accuracy/{principle}" and "{prefix}examples/{principle}" for
    /// each principle seen, "{prefix}mean_p/yes" and "{prefix}mean_p/no" (left out when no example had that verdict),
    /// "{prefix}brier". Empty when no example was added.</summary>
    public Dictionary<string, double> ToDictionary(string prefix = "eval_")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var metrics = new Dictionary<string, double>();
        if (examples == 0) return metrics;
        metrics[prefix + "loss"] = lossSum / weightSum;
        metrics[prefix + "accuracy"] = (double)correct / examples;
        metrics[prefix + "brier"] = brierSum / examples;
        if (yes > 0) metrics[prefix + "mean_p/yes"] = pYesSum / yes;
        if (no > 0) metrics[prefix + "mean_p/no"] = pNoSum / no;
        foreach (var (principle, (c, n)) in perPrinciple)
        {
            metrics[$"{prefix}accuracy/{principle}"] = (double)c / n;
            metrics[$"{prefix}examples/{principle}"] = n;
        }
        return metrics;
    }
}
