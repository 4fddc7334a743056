// Reductions, softmax family, cumsum, argmax, topk, sort.
#include "ps_common.h"

PS_API ps_tensor ps_sum(ps_tensor a) { PS_TENSOR(a->sum()) }
PS_API ps_tensor ps_mean(ps_tensor a) { PS_TENSOR(a->mean()) }
PS_API ps_tensor ps_max_all(ps_tensor a) { PS_TENSOR(a->max()) }
PS_API ps_tensor ps_min_all(ps_tensor a) { PS_TENSOR(a->min()) }

PS_API ps_tensor ps_sum_dims(ps_tensor a, const int64_t* dims, int ndims, int keepdim) {
  PS_TENSOR(a->sum(at::IntArrayRef(dims, ndims), keepdim != 0))
}

PS_API ps_tensor ps_mean_dims(ps_tensor a, const int64_t* dims, int ndims, int keepdim) {
  PS_TENSOR(a->mean(at::IntArrayRef(dims, ndims), keepdim != 0))
}

PS_API ps_tensor ps_amax(ps_tensor a, int64_t dim, int keepdim) { PS_TENSOR(a->amax({dim}, keepdim != 0)) }

PS_API ps_tensor ps_logsumexp(ps_tensor a, int64_t dim, int keepdim) { PS_TENSOR(a->logsumexp({dim}, keepdim != 0)) }

// Square root of the sum of squares of all elements.
PS_API ps_tensor ps_norm(ps_tensor a) { PS_TENSOR(a->norm()) }

PS_API ps_tensor ps_softmax(ps_tensor a, int64_t dim) { PS_TENSOR(a->softmax(dim)) }
PS_API ps_tensor ps_log_softmax(ps_tensor a, int64_t dim) { PS_TENSOR(a->log_softmax(dim)) }
PS_API ps_tensor ps_cumsum(ps_tensor a, int64_t dim) { PS_TENSOR(a->cumsum(dim)) }

PS_API ps_tensor ps_argmax(ps_tensor a, int64_t dim, int keepdim) { PS_TENSOR(a->argmax(dim, keepdim != 0)) }
PS_API ps_tensor ps_argmax_all(ps_tensor a) { PS_TENSOR(a->argmax()) }

PS_API int ps_max_dim(ps_tensor a, int64_t dim, int keepdim, ps_tensor* values, ps_tensor* indices) {
  try {
    auto r = a->max(dim, keepdim != 0);
    *values = ps::wrap(std::get<0>(r));
    *indices = ps::wrap(std::get<1>(r));
    return 0;
  }
  PS_CATCH(-1)
}

PS_API int ps_topk(ps_tensor a, int64_t k, int64_t dim, int largest, int sorted, ps_tensor* values, ps_tensor* indices) {
  try {
    auto r = a->topk(k, dim, largest != 0, sorted != 0);
    *values = ps::wrap(std::get<0>(r));
    *indices = ps::wrap(std::get<1>(r));
    return 0;
  }
  PS_CATCH(-1)
}

PS_API int ps_sort(ps_tensor a, int64_t dim, int descending, ps_tensor* values, ps_tensor* indices) {
  try {
    auto r = a->sort(dim, descending != 0);
    *values = ps::wrap(std::get<0>(r));
    *indices = ps::wrap(std::get<1>(r));
    return 0;
  }
  PS_CATCH(-1)
}
