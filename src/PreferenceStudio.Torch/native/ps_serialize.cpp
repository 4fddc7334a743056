// Raw data in and out: the C# side reads and writes file formats (safetensors); this moves the bytes.
#include "ps_common.h"
#include <cstring>

// Copies `data` (row-major, `dtype`) into a new tensor on the given device.
PS_API ps_tensor ps_from_data(const void* data, const int64_t* shape, int ndim, int dtype, int dev, int dev_index,
                              int requires_grad) {
  try {
    auto cpu = torch::from_blob(const_cast<void*>(data), at::IntArrayRef(shape, ndim),
                                at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)))
                   .clone();
    auto t = cpu.to(ps::device(dev, dev_index));
    if (requires_grad) t.set_requires_grad(true);
    return ps::wrap(t);
  }
  PS_CATCH(nullptr)
}

PS_API int64_t ps_element_size(ps_tensor t) {
  try { return static_cast<int64_t>(t->element_size()); } PS_CATCH(-1)
}

// Copies the tensor's elements, row-major, into `out` (which holds exactly `nbytes`).
PS_API int ps_copy_to(ps_tensor t, void* out, int64_t nbytes) {
  try {
    auto c = t->detach().to(at::kCPU).contiguous();
    int64_t size = c.numel() * static_cast<int64_t>(c.element_size());
    TORCH_CHECK(size == nbytes, "ps_copy_to: tensor holds ", size, " bytes but the buffer holds ", nbytes);
    if (size > 0) std::memcpy(out, c.data_ptr(), static_cast<size_t>(size));
    return 0;
  }
  PS_CATCH(-1)
}
