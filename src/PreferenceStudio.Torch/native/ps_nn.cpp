// nn functional: embedding, norms, dropout, losses, attention, rotary embeddings.
#include "ps_common.h"

PS_API ps_tensor ps_embedding(ps_tensor weight, ps_tensor indices) { PS_TENSOR(at::embedding(*weight, *indices)) }

// Normalizes over the last dimension; weight and bias may be null.
PS_API ps_tensor ps_layer_norm(ps_tensor x, ps_tensor weight, ps_tensor bias, double eps) {
  PS_TENSOR(at::layer_norm(*x, {x->size(-1)}, ps::opt(weight), ps::opt(bias), eps, true))
}

// RMSNorm (Zhang & Sennrich 2019) as Llama / Qwen2 compute it: half precision inputs in float32, then back to
// the input dtype, then scaled by the weight.  y = w * x / sqrt(mean(x^2) + eps)
PS_API ps_tensor ps_rms_norm(ps_tensor x, ps_tensor weight, double eps) {
  try {
    const bool low_precision = x->scalar_type() == at::kHalf || x->scalar_type() == at::kBFloat16;
    auto xf = low_precision ? x->to(at::kFloat) : *x;
    auto y = (xf * (xf.pow(2).mean({-1}, true) + eps).rsqrt()).to(x->scalar_type());
    return ps::wrap(weight ? *weight * y : y);
  }
  PS_CATCH(nullptr)
}

PS_API ps_tensor ps_dropout(ps_tensor x, double p, int train) { PS_TENSOR(at::dropout(*x, p, train != 0)) }

// reduction: 0 none, 1 mean, 2 sum (at::Reduction).
PS_API ps_tensor ps_cross_entropy(ps_tensor logits, ps_tensor target, int64_t ignore_index, int reduction,
                                  double label_smoothing) {
  PS_TENSOR(at::cross_entropy_loss(*logits, *target, {}, reduction, ignore_index, label_smoothing))
}

PS_API ps_tensor ps_mse_loss(ps_tensor a, ps_tensor b, int reduction) { PS_TENSOR(at::mse_loss(*a, *b, reduction)) }

// Scaled dot-product attention.  q: (B, H, Tq, D), k and v: (B, H, Tk, D); mask: bool, broadcastable to
// (B, H, Tq, Tk), true = may attend, or null.  With is_causal, query i (the last Tq of Tk positions, as with a KV
// cache) attends to keys j <= i + Tk - Tq.  Masked scores get the dtype's most negative finite value rather than
// -inf, so a fully masked row (a left-padding query) yields a harmless uniform row instead of NaN.
PS_API ps_tensor ps_attention(ps_tensor q, ps_tensor k, ps_tensor v, ps_tensor mask, int is_causal, double dropout_p,
                              int train) {
  try {
    const int64_t tq = q->size(-2), tk = k->size(-2);
    c10::optional<at::Tensor> keep = ps::opt(mask);
    if (is_causal) {
      auto causal = torch::ones({tq, tk}, q->options().dtype(at::kBool)).tril(tk - tq);
      keep = keep ? keep->logical_and(causal) : causal;
    }
    const double most_negative = q->scalar_type() == at::kHalf ? -65504.0 : -3.0e38;
    const double p = train ? dropout_p : 0.0;
#if TORCH_VERSION_MAJOR >= 2
    c10::optional<at::Tensor> bias;
    if (keep) bias = torch::zeros({1}, q->options()).masked_fill(keep->logical_not(), most_negative).expand(keep->sizes());
    return ps::wrap(at::scaled_dot_product_attention(*q, *k, *v, bias, p, false));
#else
    auto scores = q->matmul(k->transpose(-2, -1)) * (1.0 / std::sqrt(static_cast<double>(q->size(-1))));  // (B, H, Tq, Tk)
    if (keep) scores = scores.masked_fill(keep->logical_not(), most_negative);
    auto probs = scores.softmax(-1);
    if (p > 0) probs = at::dropout(probs, p, true);
    return ps::wrap(probs.matmul(*v));  // (B, H, Tq, D)
#endif
  }
  PS_CATCH(nullptr)
}

// Rotary position embedding (Su et al. 2021) in the "rotate half" layout of Hugging Face Llama / Qwen2:
// x * cos + rotate_half(x) * sin, rotate_half([x1, x2]) = [-x2, x1].  x: (B, H, T, D), cos / sin: broadcastable.
PS_API ps_tensor ps_rotary(ps_tensor x, ps_tensor cos, ps_tensor sin) {
  try {
    const int64_t half = x->size(-1) / 2;
    auto x1 = x->narrow(-1, 0, half);
    auto x2 = x->narrow(-1, half, x->size(-1) - half);
    auto rotated = at::cat({x2.neg(), x1}, -1);
    return ps::wrap(*x * *cos + rotated * *sin);
  }
  PS_CATCH(nullptr)
}
