// Inference-mode BatchNormalization (reference/batch_norm_float.cc).
#pragma once

#include <cstdint>

namespace tinyonnx {

// Y = (X - mean[c]) / sqrt(var[c] + epsilon) * scale[c] + bias[c] over X
// viewed as [batch, channels, inner]. The per-channel inputs are read at run
// time (they may be graph inputs); with constant inputs after a Conv or Gemm
// the FuseBatchNorm pass removes the node instead.
struct BatchNormParams {
  int32_t batch = 0;
  int32_t channels = 0;
  int32_t inner = 0;  // product of the dimensions after the channel axis
  float epsilon = 1e-5f;
};

// inputs: X, scale, B, mean, var; outputs: Y.
void BatchNormFloat(const void* params, const void* const* inputs, void* const* outputs);

}  // namespace tinyonnx
