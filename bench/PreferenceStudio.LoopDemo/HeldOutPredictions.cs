using PreferenceStudio.Annotating.Simulation;
using PreferenceStudio.Training.Online;

namespace PreferenceStudio.LoopDemo;

/// <summary>
/// The reward model's predictions on held-out answers, as (A, B, r(A) − r(B)) for the simulated annotator's
/// <see cref="BradleyTerryJudge.ExpectedAccuracy"/> and, on the same texts, its Bayes limit. Identical texts are left
/// out of every set: there is nothing to predict.
/// </summary>
internal static class HeldOutPredictions
{
    /// <summary>Consecutive answers to the same prompt (0 with 1, 2 with 3, …): the pairs the annotator labels for the
    /// printed "RM held-out accuracy", in the same order.</summary>
    public static IEnumerable<(string A, string B, double Margin)> Consecutive(IReadOnlyList<SampledPrompt> sampled, IReadOnlyList<float[]> scores)
    {
        for (var i = 0; i < sampled.Count; i++)
            for (var j = 0; j + 1 < sampled[i].Responses.Count; j += 2)
                if (Distinct(sampled[i], j, j + 1, scores[i]) is { } prediction)
                    yield return prediction;
    }

    /// <summary>Every pair of distinct answers to the same prompt: with 64 answers to each of 16 prompts, about 32,000
    /// pairs from the same 1,024 answers, so the figure barely moves with which answers were paired.</summary>
    public static IEnumerable<(string A, string B, double Margin)> AllPairs(IReadOnlyList<SampledPrompt> sampled, IReadOnlyList<float[]> scores)
    {
        for (var i = 0; i < sampled.Count; i++)
            for (var j = 0; j < sampled[i].Responses.Count; j++)
                for (var k = j + 1; k < sampled[i].Responses.Count; k++)
                    if (Distinct(sampled[i], j, k, scores[i]) is { } prediction)
                        yield return prediction;
    }

    /// <summary>Each answer's score replaced by the mean score of this set's answers of the same length in words.</summary>
    public static IReadOnlyList<float[]> ByLength(IReadOnlyList<SampledPrompt> sampled, IReadOnlyList<float[]> scores)
    {
        var means = sampled.SelectMany((p, i) => p.Responses.Select((r, j) => (Words: WordCount(r.Text), Score: scores[i][j])))
            .GroupBy(x => x.Words).ToDictionary(g => g.Key, g => (float)g.Average(x => x.Score));
        return sampled.Select(p => p.Responses.Select(r => means[WordCount(r.Text)]).ToArray()).ToList();
    }

    private static int WordCount(string text) => TargetWordsPreference.Words(text).Count();

    /// <summary>Standard error of an accuracy measured on n independent pairs: √(a (1 − a) / n).</summary>
    public static double StandardError(double accuracy, int pairs) => Math.Sqrt(accuracy * (1 - accuracy) / pairs);

    private static (string A, string B, double Margin)? Distinct(SampledPrompt prompt, int j, int k, float[] scores)
    {
        var (a, b) = (prompt.Responses[j].Text, prompt.Responses[k].Text);
        return a == b ? null : (a, b, (double)scores[j] - scores[k]);
    }
}
