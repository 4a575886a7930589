// QuantizeLinear: y = saturate(round_half_to_even(x / scale) + zero_point),
// per tensor or per axis, optionally writing channels-last. The scale and
// zero point are read from the node's inputs at run time.
#include "tinyonnx/kernels/reference/quantized_loops.h"

namespace tinyonnx {
namespace {

template <typename T>
void Quantize(const void* params, const void* const* inputs, void* const* outputs) {
  const QuantizeParams& p = *static_cast<const QuantizeParams*>(params);
  const float* x = static_cast<const float*>(inputs[0]);
  T* y = static_cast<T*>(outputs[0]);
  const float qmin = static_cast<float>(p.qmin);
  const float qmax = static_cast<float>(p.qmax);
  ForEachQuantizedElement(p, inputs, [&](int32_t plain, int32_t stored, float s, int32_t z) {
    y[stored] = static_cast<T>(QuantizeValue(x[plain], s, static_cast<float>(z), qmin, qmax));
  });
}

}  // namespace

void QuantizeLinearToS8(const void* params, const void* const* inputs, void* const* outputs) {
  Quantize<int8_t>(params, inputs, outputs);
}

void QuantizeLinearToU8(const void* params, const void* const* inputs, void* const* outputs) {
  Quantize<uint8_t>(params, inputs, outputs);
}

}  // namespace tinyonnx
