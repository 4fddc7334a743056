namespace PreferenceStudio.Training.Ppo;

/// <summary>
/// One response of a rollout: the prompt it answers (its index in the trainer's prompts, and its tokens) and the
/// sampled tokens, the stop token included when <see cref="Stopped"/>.
/// </summary>
public sealed record PpoSample(int PromptIndex, long[] Prompt, long[] Response, bool Stopped);

/// <summary>
/// Scores a rollout: for each sample, one score per response token (length = Response.Length). A reward model's
/// scalar goes at the last token (<see cref="PpoRewards.AtEnd"/>); dense rewards, such as a span model's at each
/// segment's end, go where they fall. Called once per iteration, without gradients, on the trainer's thread.
/// </summary>
public delegate float[][] PpoRewardFunction(IReadOnlyList<PpoSample> samples);

/// <summary>Ways to build a <see cref="PpoRewardFunction"/>.</summary>
public static class PpoRewards
{
    /// <summary>One scalar per response (a reward model's r(x, y)), given at the response's last token.</summary>
    public static PpoRewardFunction AtEnd(Func<IReadOnlyList<PpoSample>, IReadOnlyList<double>> score)
    {
        ArgumentNullException.ThrowIfNull(score);
        return samples =>
        {
            var scores = score(samples);
            if (scores.Count != samples.Count)
                throw new InvalidOperationException($"the reward gave {scores.Count} scores for {samples.Count} responses");
            return samples.Select((s, i) =>
            {
                var perToken = new float[s.Response.Length];
                perToken[^1] = (float)scores[i];
                return perToken;
            }).ToArray();
        };
    }

    /// <summary>Σ_k w_k r_k, token by token: e.g. a scalar reward model at the end plus a span model's dense rewards.</summary>
    public static PpoRewardFunction Mix(params (double Weight, PpoRewardFunction Reward)[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0) throw new ArgumentException("a mix needs at least one reward", nameof(parts));
        return samples =>
        {
            var total = samples.Select(s => new float[s.Response.Length]).ToArray();
            foreach (var (weight, reward) in parts)
            {
                var part = Check(reward(samples), samples);
                for (var i = 0; i < total.Length; i++)
                    for (var t = 0; t < total[i].Length; t++)
                        total[i][t] += (float)weight * part[i][t];
            }
            return total;
        };
    }

    /// <summary>The scores as they are, when there is one finite score per token of each response; else an error
    /// naming the first response that is wrong.</summary>
    public static float[][] Check(float[][] scores, IReadOnlyList<PpoSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (scores is null || scores.Length != samples.Count)
            throw new InvalidOperationException($"the reward gave {scores?.Length ?? 0} score rows for {samples.Count} responses");
        for (var i = 0; i < scores.Length; i++)
        {
            if (scores[i] is null || scores[i].Length != samples[i].Response.Length)
                throw new InvalidOperationException(
                    $"the reward gave response {i} {scores[i]?.Length ?? 0} scores for its {samples[i].Response.Length} tokens");
            if (scores[i].Any(x => !float.IsFinite(x)))
                throw new InvalidOperationException($"the reward gave response {i} a score that is not finite");
        }
        return scores;
    }
}
