// Elementwise math, matmul / linear, comparisons and where; in-place updates used by optimizers and loaders.
#include "ps_common.h"

#define PS_UNARY(name, expr) \
  PS_API ps_tensor ps_##name(ps_tensor a) { PS_TENSOR(expr) }

PS_UNARY(neg, a->neg())
PS_UNARY(exp, a->exp())
PS_UNARY(log, a->log())
PS_UNARY(sqrt, a->sqrt())
PS_UNARY(rsqrt, a->rsqrt())
PS_UNARY(abs, a->abs())
PS_UNARY(square, a->square())
PS_UNARY(reciprocal, a->reciprocal())
PS_UNARY(sin, a->sin())
PS_UNARY(cos, a->cos())
PS_UNARY(tanh, a->tanh())
PS_UNARY(sigmoid, a->sigmoid())
PS_UNARY(relu, a->relu())
PS_UNARY(silu, at::silu(*a))
PS_UNARY(log_sigmoid, at::log_sigmoid(*a))
PS_UNARY(softplus, at::softplus(*a))
PS_UNARY(logical_not, a->logical_not())
PS_UNARY(isnan, a->isnan())

// approximate: 0 = exact erf form, 1 = tanh approximation (GPT-2's "gelu_new").
PS_API ps_tensor ps_gelu(ps_tensor a, int approximate) { PS_TENSOR(at::gelu(*a, approximate ? "tanh" : "none")) }

#define PS_BINARY(name, expr) \
  PS_API ps_tensor ps_##name(ps_tensor a, ps_tensor b) { PS_TENSOR(expr) }

PS_BINARY(mul, a->mul(*b))
PS_BINARY(div, a->div(*b))
PS_BINARY(pow, a->pow(*b))
PS_BINARY(maximum, at::maximum(*a, *b))
PS_BINARY(minimum, at::minimum(*a, *b))
PS_BINARY(matmul, a->matmul(*b))
PS_BINARY(logical_and, a->logical_and(*b))
PS_BINARY(logical_or, a->logical_or(*b))

PS_API ps_tensor ps_add(ps_tensor a, ps_tensor b, double alpha) { PS_TENSOR(a->add(*b, alpha)) }
PS_API ps_tensor ps_sub(ps_tensor a, ps_tensor b, double alpha) { PS_TENSOR(a->sub(*b, alpha)) }

PS_API ps_tensor ps_add_scalar(ps_tensor a, double s) { PS_TENSOR(a->add(ps::scalar_for(*a, s))) }
PS_API ps_tensor ps_mul_scalar(ps_tensor a, double s) { PS_TENSOR(a->mul(ps::scalar_for(*a, s))) }
PS_API ps_tensor ps_div_scalar(ps_tensor a, double s) { PS_TENSOR(a->div(s)) }  // true division, as in PyTorch
PS_API ps_tensor ps_rsub_scalar(ps_tensor a, double s) { PS_TENSOR(at::rsub(*a, ps::scalar_for(*a, s))) }  // s - a
PS_API ps_tensor ps_pow_scalar(ps_tensor a, double s) { PS_TENSOR(a->pow(s)) }

// has_min / has_max: PyTorch's None for either bound.
PS_API ps_tensor ps_clamp(ps_tensor a, double min, int has_min, double max, int has_max) {
  PS_TENSOR(a->clamp(has_min ? c10::optional<at::Scalar>(ps::scalar_for(*a, min)) : c10::nullopt,
                     has_max ? c10::optional<at::Scalar>(ps::scalar_for(*a, max)) : c10::nullopt))
}

// y = x W^T + b, W: (out, in), b: (out) or null.
PS_API ps_tensor ps_linear(ps_tensor x, ps_tensor w, ps_tensor b) { PS_TENSOR(at::linear(*x, *w, ps::opt(b))) }

PS_API ps_tensor ps_tril(ps_tensor a, int64_t diagonal) { PS_TENSOR(a->tril(diagonal)) }
PS_API ps_tensor ps_triu(ps_tensor a, int64_t diagonal) { PS_TENSOR(a->triu(diagonal)) }

// op: 0 eq, 1 ne, 2 lt, 3 le, 4 gt, 5 ge.
static at::Tensor compare(const at::Tensor& a, const at::Tensor& b, int op) {
  switch (op) {
    case 0: return a.eq(b);
    case 1: return a.ne(b);
    case 2: return a.lt(b);
    case 3: return a.le(b);
    case 4: return a.gt(b);
    case 5: return a.ge(b);
    default: TORCH_CHECK(false, "unknown comparison ", op);
  }
}

static at::Tensor compare_scalar(const at::Tensor& a, double b, int op) {
  switch (op) {
    case 0: return a.eq(b);
    case 1: return a.ne(b);
    case 2: return a.lt(b);
    case 3: return a.le(b);
    case 4: return a.gt(b);
    case 5: return a.ge(b);
    default: TORCH_CHECK(false, "unknown comparison ", op);
  }
}

PS_API ps_tensor ps_compare(ps_tensor a, ps_tensor b, int op) { PS_TENSOR(compare(*a, *b, op)) }
PS_API ps_tensor ps_compare_scalar(ps_tensor a, double b, int op) { PS_TENSOR(compare_scalar(*a, b, op)) }

PS_API ps_tensor ps_where(ps_tensor cond, ps_tensor a, ps_tensor b) { PS_TENSOR(at::where(*cond, *a, *b)) }

PS_API int ps_allclose(ps_tensor a, ps_tensor b, double rtol, double atol) {
  try { return a->allclose(*b, rtol, atol) ? 1 : 0; } PS_CATCH(-1)
}

// In place (no autograd history is wanted for these: callers use them under no_grad).
PS_API int ps_copy_(ps_tensor dst, ps_tensor src) { PS_STATUS(dst->copy_(*src)) }
PS_API int ps_zero_(ps_tensor t) { PS_STATUS(t->zero_()) }
PS_API int ps_fill_(ps_tensor t, double value) { PS_STATUS(t->fill_(value)) }
PS_API int ps_add_(ps_tensor t, ps_tensor other, double alpha) { PS_STATUS(t->add_(*other, alpha)) }
PS_API int ps_mul_scalar_(ps_tensor t, double s) { PS_STATUS(t->mul_(s)) }
PS_API int ps_normal_(ps_tensor t, double mean, double std) { PS_STATUS(t->normal_(mean, std)) }
PS_API int ps_uniform_(ps_tensor t, double from, double to) { PS_STATUS(t->uniform_(from, to)) }
