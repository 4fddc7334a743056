using static TorchSharp.torch;

namespace PreferenceStudio.Training;

/// <summary>
/// B pairs as one batch of 2B sequences: rows 0..B-1 are prompt + chosen, rows B..2B-1 prompt + rejected, right-padded,
/// so chosen and rejected go through the model in one forward pass (as TRL does).
/// </summary>
public sealed record PreferenceBatch(Tensor InputIds, Tensor AttentionMask, Tensor Margins, int Pairs)
{
    public static PreferenceBatch Collate(IReadOnlyList<PreferencePair> pairs, long padTokenId, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0) throw new ArgumentException("a batch needs at least one pair", nameof(pairs));
        var sequences = pairs.Select(p => p.Prompt.Concat(p.Chosen).ToArray())
            .Concat(pairs.Select(p => p.Prompt.Concat(p.Rejected).ToArray())).ToList();
        var rows = sequences.Count;
        var length = sequences.Max(s => s.Length);
        var ids = new long[rows * length];
        var mask = new long[rows * length];
        Array.Fill(ids, padTokenId);
        for (var r = 0; r < rows; r++)
        {
            sequences[r].CopyTo(ids, r * length);
            Array.Fill(mask, 1, r * length, sequences[r].Length);
        }
        return new PreferenceBatch(
            tensor(ids, [rows, length], device: device),                     // (2B, T)
            tensor(mask, [rows, length], device: device),                    // (2B, T)
            tensor(pairs.Select(p => (float)p.Margin).ToArray(), [pairs.Count], device: device), // (B)
            pairs.Count);
    }
}
