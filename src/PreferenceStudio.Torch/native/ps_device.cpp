// Devices, threads and seeded randomness.
#include "ps_common.h"

PS_API int ps_cuda_is_available() {
  try { return torch::cuda::is_available() ? 1 : 0; } PS_CATCH(-1)
}

PS_API int ps_cuda_device_count() {
  try { return static_cast<int>(torch::cuda::device_count()); } PS_CATCH(-1)
}

// Seeds the CPU generator and every CUDA generator.
PS_API int ps_manual_seed(uint64_t seed) { PS_STATUS(torch::manual_seed(seed)) }

PS_API int ps_set_num_threads(int n) { PS_STATUS(at::set_num_threads(n)) }

PS_API int ps_get_num_threads() {
  try { return at::get_num_threads(); } PS_CATCH(-1)
}

PS_API int ps_torch_version(int* major, int* minor, int* patch) {
  PS_STATUS(*major = TORCH_VERSION_MAJOR; *minor = TORCH_VERSION_MINOR; *patch = TORCH_VERSION_PATCH)
}

PS_API ps_tensor ps_multinomial(ps_tensor probs, int64_t num_samples, int replacement) {
  PS_TENSOR(at::multinomial(*probs, num_samples, replacement != 0))
}

PS_API ps_tensor ps_bernoulli(ps_tensor probs) { PS_TENSOR(at::bernoulli(*probs)) }
