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
    /// softmax(q kᵀ / √D + mask) v. q: (B, H, Tq, D), k and v: (B, H, Tk, D) → (B, H, Tq, D). The Tq queries are the
    /// last Tq of the Tk positions (a KV cache holds the first Tk - Tq). keepMask: bool (B, 1, 1, Tk), false for padding.
    /// </summary>
    public static Tensor CausalSelfAttention(Tensor q, Tensor k, Tensor v, Tensor? keepMask, double dropout,
        AttentionImplementation implementation)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        long tq = q.shape[2], tk = k.shape[2];
        // Without padding: a square causal mask is the kernel's own is_causal; one new token sees every cached one.
        var bias = keepMask is null && (tq == tk || tq == 1) ? null : MaskBias(q, tq, tk, keepMask);  // (B, 1, Tq, Tk)
        var isCausal = keepMask is null && tq == tk && tq > 1;
        if (implementation == AttentionImplementation.Sdpa)
            return nn.functional.scaled_dot_product_attention(q, k, v, bias, dropout, isCausal);

        var scores = q.matmul(k.transpose(-2, -1)) * (1.0 / Math.Sqrt(q.shape[3]));              // (B, H, Tq, Tk)
        if (bias is not null) scores = scores + bias;
        else if (isCausal) scores = scores.masked_fill(ones(tq, tk, ScalarType.Bool, q.device).triu(1), double.NegativeInfinity);
        var probs = nn.functional.dropout(scores.softmax(-1), dropout, training: dropout > 0);     // (B, H, Tq, Tk)
        return probs.matmul(v);                                                                     // (B, H, Tq, D)
    }

    // Masked scores get the dtype's most negative finite value rather than -inf, so that a fully masked row (a
    // left-padding query) gives a harmless uniform row instead of NaN.
    private static Tensor MaskBias(Tensor q, long tq, long tk, Tensor? keepMask)
    {
        var keep = ones(tq, tk, ScalarType.Bool, q.device).tril(tk - tq);                           // (Tq, Tk)
        if (keepMask is not null) keep = keep.logical_and(keepMask);                                 // (B, 1, Tq, Tk)
        return zeros(keep.shape, q.dtype, q.device).masked_fill(keep.logical_not(), finfo(q.dtype).min);
    }
}
