// DequantizeLinear: y = (x - zero_point) * scale, per tensor or per axis,
// reading 8-bit data stored channels-last when so prepared. The scale and
// zero point are read from the node's inputs at run time.
#include "tinyonnx/kernels/reference/quantized_loops.h"

namespace tinyonnx {
namespace {

template <typename T>
void Dequantize(const void* params, const void* const* inputs, void* const* outputs) {
  const QuantizeParams& p = *static_cast<const QuantizeParams*>(params);
  const T* x = static_cast<const T*>(inputs[0]);
  float* y = static_cast<float*>(outputs[0]);
  ForEachQuantizedElement(p, inputs, [&](int32_t plain, int32_t stored, float s, int32_t z) {
    y[plain] = static_cast<float>(static_cast<int64_t>(x[stored]) - z) * s;
  });
}

}  // namespace

void DequantizeLinearS8(const void* params, const void* const* inputs, void* const* outputs) {
  Dequantize<int8_t>(params, inputs, outputs);
}

void DequantizeLinearU8(const void* params, const void* const* inputs, void* const* outputs) {
  Dequantize<uint8_t>(params, inputs, outputs);
}

void DequantizeLinearS32(const void* params, const void* const* inputs, void* const* outputs) {
  Dequantize<int32_t>(params, inputs, outputs);
}

}  // namespace tinyonnx
