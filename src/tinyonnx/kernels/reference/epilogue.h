// Applying a FloatEpilogue to one accumulator (Conv and Gemm kernels).
#pragma once

#include <cstdint>

#include "tinyonnx/graph/graph.h"

namespace tinyonnx {

inline float EpilogueScale(const FloatEpilogue& e, int32_t channel) {
  return e.scale != nullptr ? e.scale[channel] : 1.0f;
}

// y = clamp(acc * scale + bias, min, max)
inline float ApplyEpilogue(float acc, float scale, float bias, const FloatEpilogue& e) {
  float y = acc * scale + bias;
  if (y < e.min) y = e.min;
  if (y > e.max) y = e.max;
  return y;
}

}  // namespace tinyonnx
