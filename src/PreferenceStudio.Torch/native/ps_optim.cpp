// Optimizer steps over whole parameter lists, so one call updates a model.
#include "ps_common.h"

// AdamW (Loshchilov & Hutter 2019, Algorithm 2) as torch.optim.AdamW computes it:
//   p <- p - lr * wd * p;  m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
//   p <- p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
// weight_decay[i] lets biases and norms opt out.  Parameters without a gradient are skipped.
PS_API int ps_adamw_step(ps_tensor* params, ps_tensor* exp_avg, ps_tensor* exp_avg_sq, const double* weight_decay, int n,
                         double lr, double beta1, double beta2, double eps, int64_t step) {
  try {
    at::NoGradGuard no_grad;
    const double bias_correction1 = 1.0 - std::pow(beta1, static_cast<double>(step));
    const double bias_correction2 = 1.0 - std::pow(beta2, static_cast<double>(step));
    for (int i = 0; i < n; ++i) {
      auto& p = *params[i];
      const auto& g = p.grad();
      if (!g.defined()) continue;
      auto& m = *exp_avg[i];
      auto& v = *exp_avg_sq[i];
      if (weight_decay[i] != 0) p.mul_(1.0 - lr * weight_decay[i]);
      m.lerp_(g, 1.0 - beta1);
      v.mul_(beta2).addcmul_(g, g, 1.0 - beta2);
      auto denom = (v.sqrt() / std::sqrt(bias_correction2)).add_(eps);
      p.addcdiv_(m, denom, -lr / bias_correction1);
    }
    return 0;
  }
  PS_CATCH(-1)
}

// Scales all gradients so their joint 2-norm is at most max_norm (torch.nn.utils.clip_grad_norm_);
// writes the norm before clipping to *total_norm.
PS_API int ps_clip_grad_norm(ps_tensor* params, int n, double max_norm, double* total_norm) {
  try {
    at::NoGradGuard no_grad;
    std::vector<at::Tensor> norms;
    for (int i = 0; i < n; ++i) {
      const auto& g = params[i]->grad();
      if (g.defined()) norms.push_back(g.detach().to(at::kFloat).norm().to(at::kCPU));
    }
    if (norms.empty()) {
      *total_norm = 0;
      return 0;
    }
    const double total = at::stack(norms).norm().item<double>();
    *total_norm = total;
    const double coef = max_norm / (total + 1e-6);
    if (coef < 1.0)
      for (int i = 0; i < n; ++i) {
        auto g = params[i]->grad();
        if (g.defined()) g.mul_(coef);
      }
    return 0;
  }
  PS_CATCH(-1)
}
