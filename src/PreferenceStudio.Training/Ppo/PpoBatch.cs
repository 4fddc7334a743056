using PreferenceStudio.Models;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Ppo;

/// <summary>
/// Rollout samples as tensors. Each row is prompt + response, right-padded to T; response token t of row i sits at
/// position P_i + t and is predicted by the hidden state at P_i − 1 + t, that row's entry in <see cref="Positions"/>.
/// Everything per response token is (B, R), R the longest response, right-padded, masked by <see cref="Mask"/>.
/// </summary>
public sealed record PpoBatch(Tensor InputIds, Tensor Positions, Tensor ResponseIds, Tensor Mask)
{
    public long Rows => InputIds.shape[0];

    public static PpoBatch Collate(IReadOnlyList<PpoSample> samples, long padTokenId, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0) throw new ArgumentException("a batch needs at least one sample", nameof(samples));
        int b = samples.Count, t = samples.Max(s => s.Prompt.Length + s.Response.Length), r = samples.Max(s => s.Response.Length);
        var ids = new long[b * t];
        Array.Fill(ids, padTokenId);
        var positions = new long[b * r];
        var responseIds = new long[b * r];
        Array.Fill(responseIds, padTokenId);
        var mask = new bool[b * r];
        for (var i = 0; i < b; i++)
        {
            var (prompt, response) = (samples[i].Prompt, samples[i].Response);
            if (prompt.Length == 0 || response.Length == 0)
                throw new ArgumentException($"samples[{i}]: the prompt and the response need at least one token each", nameof(samples));
            prompt.CopyTo(ids, i * t);
            response.CopyTo(ids, i * t + prompt.Length);
            response.CopyTo(responseIds, i * r);
            for (var j = 0; j < r; j++)
            {
                // Padding positions point at the row's last real state: any valid index does, they are masked.
                positions[i * r + j] = prompt.Length - 1 + Math.Min(j, response.Length - 1);
                mask[i * r + j] = j < response.Length;
            }
        }
        return new PpoBatch(tensor(ids, [b, t], device: device), tensor(positions, [b, r], device: device),
            tensor(responseIds, [b, r], device: device), tensor(mask, [b, r], device: device));
    }

    /// <summary>The rows at <paramref name="indices"/> (a mini-batch). indices: (M) int64.</summary>
    public PpoBatch Select(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return new PpoBatch(InputIds.index_select(0, indices), Positions.index_select(0, indices),
            ResponseIds.index_select(0, indices), Mask.index_select(0, indices));
    }

    /// <summary>The final hidden states that predict each response token: (B, R, C). Right padding needs no
    /// attention mask: causal attention never lets a real token see a later pad.</summary>
    public Tensor ResponseHidden(CausalLM model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var hidden = model.ForwardHidden(InputIds);                                     // (B, T, C)
        var index = Positions.unsqueeze(-1).expand(-1, -1, hidden.shape[2]);            // (B, R, C)
        return hidden.gather(1, index);
    }

    /// <summary>Logits of the response tokens at the sampling temperature: (B, R, V), float32.</summary>
    public static Tensor ResponseLogits(CausalLM model, Tensor responseHidden, double temperature)
    {
        ArgumentNullException.ThrowIfNull(model);
        var logits = model.LmHead(responseHidden).to(ScalarType.Float32);
        return temperature == 1.0 ? logits : logits / temperature;
    }

    /// <summary>log π(y_t | x, y_&lt;t) of each response token from its logits (B, R, V): (B, R).</summary>
    public Tensor LogProbs(Tensor responseLogits)
    {
        ArgumentNullException.ThrowIfNull(responseLogits);
        return responseLogits.log_softmax(-1).gather(2, ResponseIds.unsqueeze(-1)).squeeze(-1);
    }
}
