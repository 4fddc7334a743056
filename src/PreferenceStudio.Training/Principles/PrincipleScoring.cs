using static TorchSharp.torch;

namespace PreferenceStudio.Training.Principles;

/// <summary>p(yes) of many inputs already in <see cref="PrincipleTemplate"/>'s format, a batch at a time.</summary>
public static class PrincipleScoring
{
    /// <summary>
    /// One probability per sequence, in order. A sequence longer than <paramref name="maxLength"/> keeps its last
    /// maxLength tokens: the judging turn with the principle is at the end and must survive, the prompt's start is
    /// what is cut. Runs in eval mode without gradients; every tensor is freed.
    /// </summary>
    public static float[] Probabilities(PrincipleRewardModel model, IReadOnlyList<long[]> sequences, int batchSize, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var probabilities = new float[sequences.Count];
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            for (var start = 0; start < sequences.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var batch = sequences.Skip(start).Take(batchSize)
                    .Select(s => (IReadOnlyList<long>)(s.Length > maxLength ? s[^maxLength..] : s)).ToList();
                var (ids, mask) = PrincipleBatch.RightPadded(batch, padTokenId: 0, model.Device);     // (B, T), (B, T)
                model.Logits(ids, mask).sigmoid().cpu().data<float>().ToArray().CopyTo(probabilities, start); // (B)
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return probabilities;
    }
}
