using static TorchSharp.torch;

namespace PreferenceStudio.Training;

/// <summary>
/// B examples as one batch of 2B sequences: rows 0..B-1 are prompt + chosen, rows B..2B-1 prompt + rejected,
/// right-padded, so chosen and rejected go through the policy in one forward pass (TRL's concatenated forward).
/// CompletionMask is aligned with <see cref="PreferenceStudio.Models.CausalLM.TokenLogProbs"/>: position t is true
/// when token t + 1 belongs to the response, so the prompt and the padding never enter a response's log-probability.
/// </summary>
public sealed record DpoBatch(Tensor InputIds, Tensor CompletionMask, Tensor Weights, int Pairs)
{
    /// <summary>Response tokens per row: (2B), float.</summary>
    public Tensor CompletionTokens => CompletionMask.sum(-1, type: ScalarType.Float32);

    public static DpoBatch Collate(IReadOnlyList<DpoExample> examples, long padTokenId, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0) throw new ArgumentException("a batch needs at least one example", nameof(examples));
        var rows = examples.Select(e => (e.Prompt, Response: e.Chosen)).Concat(examples.Select(e => (e.Prompt, Response: e.Rejected))).ToList();
        var length = rows.Max(r => r.Prompt.Count + r.Response.Count);
        var ids = new long[rows.Count * length];
        var mask = new bool[rows.Count * (length - 1)];
        Array.Fill(ids, padTokenId);
        for (var r = 0; r < rows.Count; r++)
        {
            var (prompt, response) = rows[r];
            if (prompt.Count == 0) throw new ArgumentException($"example {r % examples.Count}: the prompt needs at least one token, to predict the response's first", nameof(examples));
            for (var t = 0; t < prompt.Count; t++) ids[r * length + t] = prompt[t];
            for (var t = 0; t < response.Count; t++) ids[r * length + prompt.Count + t] = response[t];
            // token prompt.Count + t is predicted at position prompt.Count + t - 1
            Array.Fill(mask, true, r * (length - 1) + prompt.Count - 1, response.Count);
        }
        return new DpoBatch(
            tensor(ids, [rows.Count, length], device: device),                                  // (2B, T)
            tensor(mask, [rows.Count, length - 1], device: device),                             // (2B, T-1)
            tensor(examples.Select(e => (float)e.Weight).ToArray(), [examples.Count], device: device), // (B)
            examples.Count);
    }
}
