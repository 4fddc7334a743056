namespace PreferenceStudio.Training.Online;

/// <summary>
/// Ranks sampled responses by a reward model and pairs the best of K against the worst (as "RLHF Workflow"
/// (Dong et al. 2024) does for the pairs no person labels): the widest gap the reward model sees is the one it is
/// likeliest to have right.
/// </summary>
public static class RewardRanker
{
    /// <summary>r(x, y) of every response of every prompt, batched, in eval mode without gradients.</summary>
    public static IReadOnlyList<float[]> Score(RewardModel model, IReadOnlyList<SampledPrompt> prompts, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompts);
        var sequences = prompts.SelectMany(p => p.Responses.Select(r => p.PromptTokens.Concat(r.Tokens).ToArray())).ToList();
        // Sequences are short here (a prompt and a few sentences); no truncation.
        var scores = RewardScoring.Score(model, sequences, batchSize, maxLength: int.MaxValue);
        var result = new List<float[]>(prompts.Count);
        var offset = 0;
        foreach (var p in prompts)
        {
            result.Add(scores[offset..(offset + p.Responses.Count)]);
            offset += p.Responses.Count;
        }
        return result;
    }

    /// <summary>Per prompt, its highest-scored response chosen over its lowest; null where every response has the
    /// same text (nothing to compare).</summary>
    public static IReadOnlyList<PreferencePair?> BestVersusWorst(RewardModel model, IReadOnlyList<SampledPrompt> prompts)
    {
        var scores = Score(model, prompts);
        return prompts.Select((p, i) =>
        {
            var order = Enumerable.Range(0, p.Responses.Count).OrderByDescending(j => scores[i][j]).ToList();
            var (best, worst) = (order[0], order[^1]);
            return p.Responses[best].Text == p.Responses[worst].Text ? null : p.Pair(best, worst);
        }).ToList();
    }
}
