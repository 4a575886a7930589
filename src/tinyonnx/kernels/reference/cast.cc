// Reference Cast kernels: one per (from, to) pair of the supported types.
#include "tinyonnx/kernels/cast.h"

#include "tinyonnx/kernels/reference/element_types.h"

namespace tinyonnx {
namespace {

template <typename From, typename To>
void CastKernel(const void* params, const void* const* inputs, void* const* outputs) {
  const int32_t count = static_cast<const CastParams*>(params)->count;
  const From* x = static_cast<const From*>(inputs[0]);
  To* y = static_cast<To*>(outputs[0]);
  for (int32_t i = 0; i < count; ++i) y[i] = ConvertElement<To>(x[i]);
}

template <typename From, typename... Tos>
KernelFn FindCastFrom(DType to) {
  KernelFn kernel = nullptr;
  ((DTypeOf<Tos>() == to ? (kernel = CastKernel<From, Tos>) : kernel), ...);
  return kernel;
}

template <typename... Ts>
KernelFn FindCastBetween(DType from, DType to) {
  KernelFn kernel = nullptr;
  ((DTypeOf<Ts>() == from ? (kernel = FindCastFrom<Ts, Ts...>(to)) : kernel), ...);
  return kernel;
}

}  // namespace

KernelFn FindCastKernel(DType from, DType to) {
  return FindCastBetween<float, double, int8_t, uint8_t, int16_t, uint16_t, int32_t, uint32_t,
                         int64_t, uint64_t, BoolByte>(from, to);
}

}  // namespace tinyonnx
