using static TorchSharp.torch;

namespace PreferenceStudio.Training.Ppo;

/// <summary>
/// One rollout made ready for PPO's updates (OpenRLHF's experience): the samples as a batch, the reward function's
/// scores, and per response token (B, R), 0 past each response's end: log π_old and V_old from the policy that
/// sampled, the KL estimate against the reference, the whitened GAE advantages and the returns, with the β they used.
/// </summary>
public sealed record PpoExperience(PpoBatch Batch, float[][] Scores, Tensor OldLogProbs, Tensor OldValues, Tensor Kl,
    Tensor Advantages, Tensor Returns, double KlCoef)
{
    /// <summary>
    /// Scores the samples, takes the policy's and the reference's log-probabilities and the values without gradients
    /// (in chunks of mini_batch_size), forms the rewards score − β·KL per token, whitens them if asked, and runs GAE.
    /// </summary>
    public static PpoExperience Make(PolicyWithValueHead model, Models.CausalLM reference, PpoRewardFunction reward, PpoConfig config,
        IReadOnlyList<PpoSample> samples, double klCoef, RunningMoments moments)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(reward);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(samples);
        var rawScores = PpoRewards.Check(reward(samples), samples);
        var scores = PpoScores.Shape(config, samples, rawScores, moments);
        var device = model.Device;
        var batch = PpoBatch.Collate(samples, config.StopTokenId ?? 0, device);
        var mask = batch.Mask;

        Tensor oldLogProbs, oldValues, referenceLogProbs;
        using (no_grad())
        {
            var logProbParts = new List<Tensor>();
            var valueParts = new List<Tensor>();
            var referenceParts = new List<Tensor>();
            for (var start = 0; start < samples.Count; start += config.MiniBatchSize)
            {
                var part = batch.Select(arange(start, Math.Min(samples.Count, start + config.MiniBatchSize), ScalarType.Int64, device));
                var hidden = part.ResponseHidden(model.Policy);
                logProbParts.Add(part.LogProbs(PpoBatch.ResponseLogits(model.Policy, hidden, config.Temperature)));
                valueParts.Add(model.ValueHead.forward(hidden));
                referenceParts.Add(part.LogProbs(PpoBatch.ResponseLogits(reference, part.ResponseHidden(reference), config.Temperature)));
            }
            oldLogProbs = cat(logProbParts, 0);
            oldValues = cat(valueParts, 0).masked_fill(mask.logical_not(), 0);
            referenceLogProbs = cat(referenceParts, 0);
        }

        var kl = PpoLosses.Kl(oldLogProbs, referenceLogProbs, config.KlEstimator).masked_fill(mask.logical_not(), 0);
        var rewards = PpoLosses.Rewards(ScoresTensor(scores, mask.shape[1], device), kl, klCoef, mask);
        if (config.WhitenRewards) rewards = PpoLosses.Whiten(rewards, mask, shiftMean: false);
        var (advantages, returns) = PpoLosses.Gae(rewards, oldValues, mask, config.Gamma, config.Lam);
        return new PpoExperience(batch, rawScores, oldLogProbs, oldValues, kl, PpoLosses.Whiten(advantages, mask), returns, klCoef);
    }

    private static Tensor ScoresTensor(float[][] scores, long width, Device device)
    {
        var flat = new float[scores.Length * width];
        for (var i = 0; i < scores.Length; i++) scores[i].CopyTo(flat, i * width);
        return tensor(flat, [scores.Length, width], device: device);
    }
}
