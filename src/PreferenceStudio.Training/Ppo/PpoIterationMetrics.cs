using static TorchSharp.torch;

namespace PreferenceStudio.Training.Ppo;

/// <summary>
/// One iteration's metrics under TRL's PPO names: the updates' means (policy/*, loss/*, val/clipfrac_avg,
/// grad_norm), the ratio π_θ / π_old pooled over every response token of every update (val/ratio, val/ratio_var),
/// and the rollout's objective/*: per response, the summed KL estimate, the summed −log π_old (entropy), the
/// reward function's total score, −β·KL, and their sum.
/// </summary>
internal sealed class PpoIterationMetrics
{
    private readonly Dictionary<string, double> sums = [];
    private double ratioSum, ratioSquares, ratioTokens;
    private int updates;

    /// <summary>After one update, without gradients; logits (M, R, V) at the sampling temperature.</summary>
    public void AddUpdate(Tensor logits, Tensor logProbs, Tensor oldLogProbs, Tensor mask,
        (Tensor Loss, Tensor ClipFraction) policy, (Tensor Loss, Tensor ClipFraction) value, double gradNorm)
    {
        using var noGrad = no_grad();
        var ratio = (logProbs - oldLogProbs).exp().masked_select(mask).to(ScalarType.Float64);
        ratioSum += ratio.sum().item<double>();
        ratioSquares += ratio.square().sum().item<double>();
        ratioTokens += ratio.shape[0];
        var entropy = logits.logsumexp(-1) - (logits.softmax(-1) * logits).sum(-1);    // (M, R)
        Add("policy/approxkl_avg", PpoLosses.ApproxKl(logProbs, oldLogProbs, mask).item<float>());
        Add("policy/clipfrac_avg", policy.ClipFraction.item<float>());
        Add("policy/entropy_avg", PpoLosses.MaskedMean(entropy, mask).item<float>());
        Add("loss/policy_avg", policy.Loss.item<float>());
        Add("loss/value_avg", value.Loss.item<float>());
        Add("val/clipfrac_avg", value.ClipFraction.item<float>());
        Add("grad_norm", gradNorm);
        updates++;
    }

    /// <summary>The iteration's metrics; also returns the mean KL per response, which the KL controller reads.</summary>
    public (Dictionary<string, double> Metrics, double MeanKl) Finish(PpoExperience experience, int stopped, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(experience);
        using var noGrad = no_grad();
        var metrics = sums.ToDictionary(kv => kv.Key, kv => kv.Value / Math.Max(1, updates));
        var ratioMean = ratioSum / ratioTokens;
        metrics["val/ratio"] = ratioMean;
        metrics["val/ratio_var"] = ratioTokens > 1 ? (ratioSquares - ratioTokens * ratioMean * ratioMean) / (ratioTokens - 1) : 0;
        var meanKl = (double)experience.Kl.sum(1).mean().item<float>();
        var meanScore = experience.Scores.Average(s => (double)s.Sum());
        var nonScore = -experience.KlCoef * meanKl;
        metrics["objective/kl"] = meanKl;
        metrics["objective/entropy"] = (-experience.OldLogProbs.masked_fill(experience.Batch.Mask.logical_not(), 0)).sum(1).mean().item<float>();
        metrics["objective/scores"] = meanScore;
        metrics["objective/non_score_reward"] = nonScore;
        metrics["objective/rlhf_reward"] = meanScore + nonScore;
        metrics["objective/kl_coef"] = experience.KlCoef;
        metrics["val/num_eos_tokens"] = stopped;
        metrics["learning_rate"] = learningRate;
        return (metrics, meanKl);
    }

    private void Add(string key, double value) => sums[key] = sums.GetValueOrDefault(key) + value;
}
