using PreferenceStudio.Models;
using PreferenceStudio.Training.Ppo;
using static TorchSharp.torch;

namespace PreferenceStudio.Jobs.Training;

/// <summary>
/// A policy measured on held-out prompts as PPO measures its rollouts: one sampled answer per prompt (a fixed seed, so
/// the base and the trained policy meet the same randomness), the reward's mean total score, and the mean KL to the
/// reference (Σ_t log π(y_t) − log π_ref(y_t) over each answer's tokens, the k1 estimate objective/kl uses).
/// </summary>
public static class PpoHeldOut
{
    public sealed record Measure(double MeanScore, double MeanKl);

    public static Measure Of(CausalLM policy, CausalLM reference, PpoRewardFunction reward, PpoConfig config, IReadOnlyList<long[]> prompts, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(reward);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count == 0)
            throw new ArgumentException("a held-out measure needs at least one prompt", nameof(prompts));
        var wasTraining = policy.training;
        policy.eval();
        reference.eval();
        try
        {
            var generated = Models.Generation.Generator.Generate(policy, prompts, new Models.Generation.GenerationOptions
            {
                MaxNewTokens = config.MaxNewTokens, Temperature = config.Temperature, Seed = seed,
                StopTokens = config.StopTokenId is { } stop ? [stop] : [], PadTokenId = config.StopTokenId ?? 0,
            });
            var samples = prompts.Select((p, i) => new PpoSample(i, p, generated[i].Tokens, generated[i].Stopped)).ToList();
            var scores = PpoRewards.Check(reward(samples), samples);
            return new Measure(scores.Average(s => (double)s.Sum()), MeanKl(policy, reference, config, samples));
        }
        finally
        {
            policy.train(wasTraining);
        }
    }

    private static double MeanKl(CausalLM policy, CausalLM reference, PpoConfig config, List<PpoSample> samples)
    {
        using var noGrad = no_grad();
        var total = 0.0;
        for (var start = 0; start < samples.Count; start += config.MiniBatchSize)
        {
            using var scope = NewDisposeScope();
            var batch = PpoBatch.Collate(samples.Skip(start).Take(config.MiniBatchSize).ToList(), config.StopTokenId ?? 0, policy.Device);
            var own = batch.LogProbs(PpoBatch.ResponseLogits(policy, batch.ResponseHidden(policy), config.Temperature));
            var theirs = batch.LogProbs(PpoBatch.ResponseLogits(reference, batch.ResponseHidden(reference), config.Temperature));
            total += (own - theirs).masked_fill(batch.Mask.logical_not(), 0).sum().to(ScalarType.Float64).item<double>();
        }
        return total / samples.Count;
    }
}
