// Tensor creation, metadata and conversions (dtype, device, clone, detach).
#include "ps_common.h"
#include <cstring>
#include <sstream>

using ps::options;

PS_API void ps_tensor_free(ps_tensor t) { delete t; }

PS_API ps_tensor ps_zeros(const int64_t* shape, int ndim, int dtype, int dev, int dev_index, int requires_grad) {
  PS_TENSOR(torch::zeros(at::IntArrayRef(shape, ndim), options(dtype, dev, dev_index, requires_grad)))
}

PS_API ps_tensor ps_ones(const int64_t* shape, int ndim, int dtype, int dev, int dev_index, int requires_grad) {
  PS_TENSOR(torch::ones(at::IntArrayRef(shape, ndim), options(dtype, dev, dev_index, requires_grad)))
}

PS_API ps_tensor ps_full(const int64_t* shape, int ndim, double value, int dtype, int dev, int dev_index, int requires_grad) {
  PS_TENSOR(torch::full(at::IntArrayRef(shape, ndim), value, options(dtype, dev, dev_index, requires_grad)))
}

PS_API ps_tensor ps_randn(const int64_t* shape, int ndim, int dtype, int dev, int dev_index, int requires_grad) {
  PS_TENSOR(torch::randn(at::IntArrayRef(shape, ndim), options(dtype, dev, dev_index, requires_grad)))
}

PS_API ps_tensor ps_rand(const int64_t* shape, int ndim, int dtype, int dev, int dev_index, int requires_grad) {
  PS_TENSOR(torch::rand(at::IntArrayRef(shape, ndim), options(dtype, dev, dev_index, requires_grad)))
}

PS_API ps_tensor ps_randint(int64_t low, int64_t high, const int64_t* shape, int ndim, int dtype, int dev, int dev_index) {
  PS_TENSOR(torch::randint(low, high, at::IntArrayRef(shape, ndim), options(dtype, dev, dev_index)))
}

PS_API ps_tensor ps_arange(double start, double end, double step, int dtype, int dev, int dev_index) {
  PS_TENSOR(torch::arange(start, end, step, options(dtype, dev, dev_index)))
}

PS_API ps_tensor ps_zeros_like(ps_tensor t) { PS_TENSOR(torch::zeros_like(*t)) }

PS_API ps_tensor ps_ones_like(ps_tensor t) { PS_TENSOR(torch::ones_like(*t)) }

PS_API ps_tensor ps_full_like(ps_tensor t, double value) { PS_TENSOR(torch::full_like(*t, value)) }

PS_API int ps_dim(ps_tensor t) {
  try { return static_cast<int>(t->dim()); } PS_CATCH(-1)
}

PS_API int ps_shape(ps_tensor t, int64_t* out) {
  PS_STATUS(auto s = t->sizes(); std::copy(s.begin(), s.end(), out))
}

PS_API int64_t ps_numel(ps_tensor t) {
  try { return t->numel(); } PS_CATCH(-1)
}

PS_API int ps_dtype(ps_tensor t) {
  try { return static_cast<int>(t->scalar_type()); } PS_CATCH(-1)
}

PS_API int ps_device_type(ps_tensor t) {
  try { return static_cast<int>(t->device().type()); } PS_CATCH(-1)
}

PS_API int ps_device_index(ps_tensor t) {
  try { return static_cast<int>(t->device().index()); } PS_CATCH(-2)
}

PS_API int ps_item(ps_tensor t, double* out) { PS_STATUS(*out = t->item<double>()) }

PS_API ps_tensor ps_to(ps_tensor t, int dtype, int dev, int dev_index) {
  PS_TENSOR(t->to(ps::device(dev, dev_index), static_cast<at::ScalarType>(dtype)))
}

PS_API ps_tensor ps_clone(ps_tensor t) { PS_TENSOR(t->clone()) }

PS_API ps_tensor ps_detach(ps_tensor t) { PS_TENSOR(t->detach()) }

PS_API ps_tensor ps_contiguous(ps_tensor t) { PS_TENSOR(t->contiguous()) }

// Swaps the storage of `t` for that of `source` keeping the same tensor object (PyTorch's param.data = ...),
// so a module can move its parameters to another device or dtype while optimizers keep their references.
PS_API int ps_set_data(ps_tensor t, ps_tensor source) { PS_STATUS(t->set_data(*source)) }

PS_API char* ps_to_string(ps_tensor t) {
  try {
    std::ostringstream s;
    s << *t;
    return strdup(s.str().c_str());
  }
  PS_CATCH(nullptr)
}
