using static TorchSharp.torch;

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
        var scores = new float[sequences.Count];
        var wasTraining = model.Backbone.training;
        model.Train(false);
        try
        {
            using var noGrad = no_grad();
            for (var start = 0; start < sequences.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var batch = sequences.Skip(start).Take(batchSize).ToList();
                var (ids, mask) = RightPadded(batch, model.Device);
                model.Rewards(ids, mask).cpu().data<float>().ToArray().CopyTo(scores, start);
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
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

    private static (Tensor Ids, Tensor Mask) RightPadded(List<long[]> sequences, Device device)
    {
        var length = sequences.Max(s => s.Length);
        var ids = new long[sequences.Count * length];
        var mask = new long[sequences.Count * length];
        for (var r = 0; r < sequences.Count; r++)
        {
            sequences[r].CopyTo(ids, r * length);
            Array.Fill(mask, 1, r * length, sequences[r].Length);
        }
        return (tensor(ids, [sequences.Count, length], device: device), tensor(mask, [sequences.Count, length], device: device));
    }
}
