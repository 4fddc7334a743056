namespace PreferenceStudio.Training.Spans;

/// <summary>
/// Token-level precision, recall and F1 per error category, counted over response tokens (labels other than
/// <see cref="SpanBatch.Ignore"/>) as seqeval's token mode or scikit-learn's per-class report count them: for category
/// c, a true positive is a token tagged c and predicted c, a false positive one predicted c and tagged otherwise, a
/// false negative one tagged c and predicted otherwise. A ratio with nothing to divide by is 0, as scikit-learn's
/// zero_division=0. Macro F1 is the mean over the error categories ("no error" is left out: it is most tokens, and
/// its F1 near 1 would hide a model that never flags anything).
/// </summary>
public sealed class SpanMetrics(IReadOnlyList<string> categories)
{
    private readonly long[,] confusion = new long[categories.Count + 1, categories.Count + 1];  // [tag, predicted]

    public IReadOnlyList<string> Categories { get; } = categories ?? throw new ArgumentNullException(nameof(categories));

    /// <summary>Counts one batch: the predicted class and the label of every position (the same length).</summary>
    public void Add(IReadOnlyList<long> predicted, IReadOnlyList<long> labels)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(labels);
        if (predicted.Count != labels.Count)
            throw new ArgumentException($"{predicted.Count} predictions for {labels.Count} labels", nameof(predicted));
        for (var i = 0; i < labels.Count; i++)
            if (labels[i] != SpanBatch.Ignore)
                confusion[labels[i], predicted[i]]++;
    }

    public long Tokens => Enumerable.Range(0, Categories.Count + 1).Sum(t => Enumerable.Range(0, Categories.Count + 1).Sum(p => confusion[t, p]));

    /// <summary>Counts of category <paramref name="index"/> (0-based in <see cref="Categories"/>).</summary>
    public (long TruePositives, long FalsePositives, long FalseNegatives) Counts(int index)
    {
        var c = index + 1;
        long tp = confusion[c, c], predicted = 0, tagged = 0;
        for (var k = 0; k <= Categories.Count; k++)
        {
            predicted += confusion[k, c];
            tagged += confusion[c, k];
        }
        return (tp, predicted - tp, tagged - tp);
    }

    public (double Precision, double Recall, double F1) Scores(int index)
    {
        var (tp, fp, fn) = Counts(index);
        var precision = Ratio(tp, tp + fp);
        var recall = Ratio(tp, tp + fn);
        return (precision, recall, Ratio(2 * tp, 2 * tp + fp + fn));
    }

    public double MacroF1 => Enumerable.Range(0, Categories.Count).Average(i => Scores(i).F1);

    /// <summary>Share of response tokens whose class was predicted right, "no error" included.</summary>
    public double Accuracy => Ratio(Enumerable.Range(0, Categories.Count + 1).Sum(k => confusion[k, k]), Tokens);

    /// <summary>"{category}/precision", "/recall", "/f1" per category, "macro_f1" and "accuracy", each key prefixed.</summary>
    public Dictionary<string, double> ToDictionary(string prefix = "")
    {
        var metrics = new Dictionary<string, double>();
        for (var i = 0; i < Categories.Count; i++)
        {
            var (precision, recall, f1) = Scores(i);
            metrics[$"{prefix}{Categories[i]}/precision"] = precision;
            metrics[$"{prefix}{Categories[i]}/recall"] = recall;
            metrics[$"{prefix}{Categories[i]}/f1"] = f1;
        }
        metrics[prefix + "macro_f1"] = MacroF1;
        metrics[prefix + "accuracy"] = Accuracy;
        return metrics;
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
