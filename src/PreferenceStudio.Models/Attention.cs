using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Models;

/// <summary>How attention is computed: libtorch's fused kernel, or the formula written out (as Hugging Face's
/// attn_implementation "sdpa" and "eager"). Both give the same numbers; the bench compares their speed.</summary>
public enum AttentionImplementation
{
    Sdpa = 0,
    Eager = 1,
}

/// <summary>Causal scaled dot-product attention (Vaswani et al. 2017, eq. 1) with an optional padding mask.</summary>
public static class Attention
{
    /// <summary>
    /// softmax(q kᵀ / √D + bias) v. q: (B, H, Tq, D), k and v: (B, H, Tk, D) → (B, H, Tq, D). The Tq queries are the
    /// last Tq of the Tk positions (a KV cache holds the first Tk - Tq). bias: <see cref="MaskBias"/>'s, made once per
    /// forward pass and shared by every layer; null when the causal structure alone masks enough.
    /// </summary>
    public static Tensor CausalSelfAttention(Tensor q, Tensor k, Tensor v, Tensor? bias, double dropout,
        AttentionImplementation implementation)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        long tq = q.shape[2], tk = k.shape[2];
        if (bias is null && tq != tk && tq != 1)
            throw new ArgumentException($"{tq} queries over {tk} keys need the causal bias of Attention.MaskBias", nameof(bias));
        // Without a bias: a square causal mask is the kernel's own is_causal; one new token sees every cached one.
        var isCausal = bias is null && tq > 1;
        if (implementation == AttentionImplementation.Sdpa)
            return nn.functional.scaled_dot_product_attention(q, k, v, bias, dropout, isCausal);

        var scores = q.matmul(k.transpose(-2, -1)) * (1.0 / Math.Sqrt(q.shape[3]));              // (B, H, Tq, Tk)
        if (bias is not null) scores = scores + bias;
        else if (isCausal) scores = scores.masked_fill(ones(tq, tk, ScalarType.Bool, q.device).triu(1), double.NegativeInfinity);
        var probs = scores.softmax(-1);                                                             // (B, H, Tq, Tk)
        if (dropout > 0) probs = nn.functional.dropout(probs, dropout, training: true);
        return probs.matmul(v);                                                                     // (B, H, Tq, D)
    }

    /// <summary>
    /// The additive mask (B, 1, Tq, Tk) for the last Tq of Tk positions, from a padding mask (B, Tk), 1 for real
    /// tokens and 0 for padding; null when there is no padding mask and the queries are all the keys or a single new
    /// one, where the kernels mask causally by themselves. Masked scores get the dtype's most negative finite value
    /// rather than -inf, so that a fully masked row (a left-padding query) gives a harmless uniform row, not NaN.
    /// </summary>
    public static Tensor? MaskBias(Tensor? attentionMask, long tq, long tk, ScalarType dtype, Device device)
    {
        if (attentionMask is null && (tq == tk || tq == 1)) return null;
        if (attentionMask is not null && attentionMask.shape[^1] != tk)
            throw new ArgumentException(
                $"attention mask covers {attentionMask.shape[^1]} positions, the cache and the input {tk}", nameof(attentionMask));
        var keep = ones(tq, tk, ScalarType.Bool, device).tril(tk - tq);                             // (Tq, Tk)
        if (attentionMask is not null) keep = keep.logical_and(attentionMask.ne(0).unsqueeze(1).unsqueeze(1)); // (B, 1, Tq, Tk)
        return zeros(keep.shape, dtype, device).masked_fill(keep.logical_not(), finfo(dtype).min);
    }
}
