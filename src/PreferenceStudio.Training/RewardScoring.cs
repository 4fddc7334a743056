using static TorchSharp.torch;

namespace PreferenceStudio.Training;

/// <summary>r(x, y) of many token sequences (prompt and response, already chat-formatted), a batch at a time.</summary>
public static class RewardScoring
{
    /// <summary>
    /// One reward per sequence, in order; each sequence longer than <paramref name="maxLength"/> keeps its last
    /// maxLength tokens (where the response and its end are). Runs in eval mode without gradients; every tensor is freed.
    /// </summary>
    public static float[] Score(RewardModel model, IReadOnlyList<long[]> sequences, int batchSize, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var scores = new float[sequences.Count];
        var wasTraining = model.Backbone.training;
        model.Train(false);
        try
        {
            using var noGrad = no_grad();
            for (var start = 0; start < sequences.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var batch = sequences.Skip(start).Take(batchSize).Select(s => s.Length > maxLength ? s[^maxLength..] : s).ToList();
                var (ids, mask) = RightPadded(batch, model.Device);          // (B, T), (B, T)
                model.Rewards(ids, mask).cpu().data<float>().ToArray().CopyTo(scores, start);  // (B)
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
        return scores;
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
