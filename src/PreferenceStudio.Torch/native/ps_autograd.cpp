// Autograd: requires_grad, backward, grad, and the thread-local grad mode behind no_grad scopes.
#include "ps_common.h"

PS_API int ps_requires_grad(ps_tensor t) {
  try { return t->requires_grad() ? 1 : 0; } PS_CATCH(-1)
}

PS_API int ps_set_requires_grad(ps_tensor t, int requires_grad) { PS_STATUS(t->set_requires_grad(requires_grad != 0)) }

// grad: null for the implicit 1 of a scalar output.
PS_API int ps_backward(ps_tensor t, ps_tensor grad, int retain_graph) {
  PS_STATUS(t->backward(grad ? *grad : at::Tensor(), retain_graph != 0))
}

// *out = null when no gradient has been accumulated yet.
PS_API int ps_grad(ps_tensor t, ps_tensor* out) {
  try {
    const auto& g = t->grad();
    *out = g.defined() ? ps::wrap(g) : nullptr;
    return 0;
  }
  PS_CATCH(-1)
}

// Drops the accumulated gradients (PyTorch's zero_grad(set_to_none=True)).
PS_API int ps_zero_grad(ps_tensor* params, int n) {
  PS_STATUS(for (int i = 0; i < n; ++i) params[i]->mutable_grad().reset())
}

PS_API int ps_is_grad_enabled() { return c10::GradMode::is_enabled() ? 1 : 0; }

PS_API void ps_set_grad_enabled(int enabled) { c10::GradMode::set_enabled(enabled != 0); }
