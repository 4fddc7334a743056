using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training.Ppo;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Spans;

/// <summary>The span model's predictions as PPO's dense rewards.</summary>
public static class SpanRewards
{
    /// <summary>
    /// Per response token, the probability of each error category (softmax over the classes, "no error" dropped):
    /// [sample][token][category]. In eval mode, without gradients, in chunks of <paramref name="batchSize"/> samples,
    /// each chunk's tensors freed with it. The samples must be in the span model's vocabulary (the policy's tokenizer).
    /// </summary>
    public static float[][][] ErrorMass(SpanRewardModel model, IReadOnlyList<PpoSample> samples, int batchSize = 8)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(samples);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "at least one sample per batch");
        var vocab = model.Backbone.VocabSize;
        for (var i = 0; i < samples.Count; i++)
            if (samples[i].Prompt.Concat(samples[i].Response).Any(id => id < 0 || id >= vocab))
                throw new ArgumentException($"sample {i} has a token outside the span model's vocabulary of {vocab}: the policy and the span model must share a tokenizer", nameof(samples));
        var result = new float[samples.Count][][];
        var categories = model.Categories.Count;
        var wasTraining = model.training;
        model.eval();
        try
        {
            Fill(model, samples, batchSize, categories, result);
        }
        finally
        {
            model.train(wasTraining);
        }
        return result;
    }

    private static void Fill(SpanRewardModel model, IReadOnlyList<PpoSample> samples, int batchSize, int categories, float[][][] result)
    {
        using var noGrad = no_grad();
        for (var start = 0; start < samples.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var chunk = samples.Skip(start).Take(batchSize).ToList();
            var examples = chunk.Select(s => new SpanExample(s.Prompt, s.Response, new int[s.Response.Length])).ToList();
            var batch = SpanBatch.Collate(examples, 0, model.Device);
            var probabilities = model.Logits(batch.InputIds).to(ScalarType.Float32).softmax(-1).cpu();  // (B, T, K + 1)
            var width = probabilities.shape[1];
            var flat = probabilities.data<float>().ToArray();
            for (var i = 0; i < chunk.Count; i++)
            {
                var s = chunk[i];
                result[start + i] = new float[s.Response.Length][];
                for (var t = 0; t < s.Response.Length; t++)
                {
                    var at = ((long)i * width + s.Prompt.Length + t) * (categories + 1);
                    result[start + i][t] = flat.AsSpan((int)at + 1, categories).ToArray();
                }
            }
        }
    }

    /// <summary>
    /// A <see cref="PpoRewardFunction"/> giving, at each segment's last token, the segment bonus minus the weighted
    /// error mass the span model predicts over the segment (<see cref="SpanSegments.Rewards"/>), 0 elsewhere. The tokenizer gives tokens'
    /// text for sentence ends.
    /// </summary>
    public static PpoRewardFunction For(SpanRewardModel model, SegmentRewardConfig config, BpeTokenizer tokenizer, int batchSize = 8)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var weights = config.WeightsFor(model.Categories);
        return samples =>
        {
            var mass = ErrorMass(model, samples, batchSize);
            return samples.Select((s, i) =>
            {
                var ends = SpanSegments.Ends(s.Response, config.SegmentLength, id => tokenizer.Decode([id]));
                var rewards = SpanSegments.Rewards(mass[i], ends, weights);
                foreach (var end in ends) rewards[end] += (float)config.SegmentBonus;
                return rewards;
            }).ToArray();
        };
    }
}
