// Shared by every ps_<area>.cpp: the handle type, the last-error channel and the try/catch macros.
#pragma once
#include <torch/torch.h>
#include <cstdint>
#include <vector>

#define PS_API extern "C" __attribute__((visibility("default")))

// A tensor handle is a heap-allocated at::Tensor (a refcounted pointer to the TensorImpl).
// The C# SafeHandle owns exactly one and frees it with ps_tensor_free.
typedef at::Tensor* ps_tensor;

namespace ps {
void set_error(const char* message);

inline ps_tensor wrap(at::Tensor t) { return new at::Tensor(std::move(t)); }

inline std::vector<at::Tensor> list(ps_tensor* items, int n) {
  std::vector<at::Tensor> v;
  v.reserve(n);
  for (int i = 0; i < n; ++i) v.push_back(*items[i]);
  return v;
}

// The C# side passes scalars as double. An integer tensor combined with a whole number stays an integer tensor
// (PyTorch's ids - 1), instead of being promoted to float as a double scalar would be.
inline at::Scalar scalar_for(const at::Tensor& t, double v) {
  if (at::isIntegralType(t.scalar_type(), /*includeBool=*/false) && v == static_cast<double>(static_cast<int64_t>(v)))
    return at::Scalar(static_cast<int64_t>(v));
  return at::Scalar(v);
}

inline c10::optional<at::Tensor> opt(ps_tensor t) {
  return t ? c10::optional<at::Tensor>(*t) : c10::nullopt;
}

// device_type: 0 = CPU, 1 = CUDA (c10::DeviceType values); index -1 = current device.
inline at::Device device(int device_type, int device_index) {
  return at::Device(static_cast<c10::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index));
}

inline at::TensorOptions options(int dtype, int device_type, int device_index, bool requires_grad = false) {
  return at::TensorOptions()
      .dtype(static_cast<at::ScalarType>(dtype))
      .device(device(device_type, device_index))
      .requires_grad(requires_grad);
}
}  // namespace ps

// Every export ends in PS_CATCH: a C++ exception never crosses into .NET; its message goes to the
// thread-local last error and the export returns its error value (nullptr or -1).
#define PS_CATCH(error_value)                                      \
  catch (const c10::Error& e) {                                    \
    ps::set_error(e.what_without_backtrace());                     \
    return error_value;                                            \
  }                                                                \
  catch (const std::exception& e) {                                \
    ps::set_error(e.what());                                       \
    return error_value;                                            \
  }                                                                \
  catch (...) {                                                    \
    ps::set_error("unknown C++ exception in the libtorch shim");   \
    return error_value;                                            \
  }

// Body returning a new tensor handle, or nullptr on error.
#define PS_TENSOR(expr) \
  try {                 \
    return ps::wrap(expr); \
  }                     \
  PS_CATCH(nullptr)

// Body of statements; returns 0, or -1 on error.
#define PS_STATUS(stmts) \
  try {                  \
    stmts;               \
    return 0;            \
  }                      \
  PS_CATCH(-1)
