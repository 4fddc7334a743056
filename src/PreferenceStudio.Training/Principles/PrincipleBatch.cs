using static TorchSharp.torch;

namespace PreferenceStudio.Training.Principles;

/// <summary>
/// B examples as one batch, right-padded: the model reads each row's score at its last real token, and causal
/// attention never lets a real token see a later pad, so padding changes no score.
/// </summary>
public sealed record PrincipleBatch(Tensor InputIds, Tensor AttentionMask, Tensor Targets, Tensor Weights)
{
    public static PrincipleBatch Collate(IReadOnlyList<PrincipleExample> examples, long padTokenId, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) throw new ArgumentException("a batch needs at least one example", nameof(examples));
        var (ids, mask) = RightPadded(examples.Select(e => e.InputIds).ToList(), padTokenId, device);
        return new PrincipleBatch(ids, mask,
            tensor(examples.Select(e => e.Target).ToArray(), device: device),                   // (B)
            tensor(examples.Select(e => (float)e.Weight).ToArray(), device: device));           // (B)
    }

    /// <summary>Ids (B, T) padded on the right with <paramref name="padTokenId"/>, and the mask (B, T): 1 for real tokens.</summary>
    public static (Tensor Ids, Tensor Mask) RightPadded(IReadOnlyList<IReadOnlyList<long>> sequences, long padTokenId, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var rows = sequences.Count;
        var length = sequences.Max(s => s.Count);
        var ids = new long[rows * length];
        var mask = new long[rows * length];
        Array.Fill(ids, padTokenId);
        for (var r = 0; r < rows; r++)
        {
            if (sequences[r].Count == 0) throw new ArgumentException($"sequence {r} is empty", nameof(sequences));
            for (var t = 0; t < sequences[r].Count; t++) ids[r * length + t] = sequences[r][t];
            Array.Fill(mask, 1, r * length, sequences[r].Count);
        }
        return (tensor(ids, [rows, length], device: device), tensor(mask, [rows, length], device: device));
    }
}
