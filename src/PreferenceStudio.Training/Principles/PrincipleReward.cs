using PreferenceStudio.Training.Ppo;

namespace PreferenceStudio.Training.Principles;

/// <summary>A principle a run rewards, and how much: its text (as the model was trained on it) and its weight.</summary>
public sealed record WeightedPrinciple(string Text, double Weight);

/// <summary>
/// A response's reward from the principle model: r(x, y) = Σ_k w_k (p_k(yes | x, y) − 0.5) over the principles the
/// run names. p − 0.5 rather than log p: it is bounded (each principle moves the reward by at most ±w_k/2, so one
/// principle the model is sure is broken cannot outweigh all the others, and PPO gets no unbounded signal to hack), it
/// is the expected binary reward of RLBFF's yes/no verdict shifted so that "don't know" (p = 0.5) adds nothing, and
/// its scale does not depend on how sharp the model is near 0. log p would instead punish a near-certain "no" without
/// bound, a soft minimum over the principles that needs clipping to be safe.
/// </summary>
public static class PrincipleReward
{
    /// <summary>Σ_k w_k (p_k − 0.5) for each (prompt, response), all principles of all responses scored in batches.</summary>
    public static double[] Score(PrincipleRewardModel model, PrincipleTemplate template, IReadOnlyList<WeightedPrinciple> principles,
        IReadOnlyList<(IReadOnlyList<long> Prompt, IReadOnlyList<long> Response)> responses, int batchSize, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(responses);
        Check(principles);
        // Response-major: row i·K + k is response i judged on principle k.
        var sequences = responses.SelectMany(r => principles.Select(p => template.Encode(r.Prompt, r.Response, p.Text))).ToList();
        var p = PrincipleScoring.Probabilities(model, sequences, batchSize, maxLength);
        var k = principles.Count;
        return Enumerable.Range(0, responses.Count)
            .Select(i => Enumerable.Range(0, k).Sum(j => principles[j].Weight * (p[i * k + j] - 0.5)))
            .ToArray();
    }

    /// <summary>The reward as PPO takes it: <see cref="Score"/> of each sample at its response's last token.</summary>
    public static PpoRewardFunction ForPpo(PrincipleRewardModel model, PrincipleTemplate template, IReadOnlyList<WeightedPrinciple> principles,
        int batchSize, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(template);
        Check(principles);
        var fixedPrinciples = principles.ToList();
        return PpoRewards.AtEnd(samples => Score(model, template, fixedPrinciples,
            samples.Select(s => ((IReadOnlyList<long>)s.Prompt, (IReadOnlyList<long>)s.Response)).ToList(), batchSize, maxLength));
    }

    private static void Check(IReadOnlyList<WeightedPrinciple> principles)
    {
        ArgumentNullException.ThrowIfNull(principles);
        if (principles.Count == 0) throw new ArgumentException("a principle reward needs at least one principle", nameof(principles));
        for (var i = 0; i < principles.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(principles[i].Text))
                throw new ArgumentException($"principles[{i}] has no text", nameof(principles));
            if (!double.IsFinite(principles[i].Weight))
                throw new ArgumentException($"principles[{i}]: weight must be finite, got {principles[i].Weight}", nameof(principles));
        }
    }
}
