#include <cmath>

#include "tinyonnx/kernels/batch_norm.h"

namespace tinyonnx {

void BatchNormFloat(const void* params, const void* const* inputs, void* const* outputs) {
  const BatchNormParams& p = *static_cast<const BatchNormParams*>(params);
  const float* x = static_cast<const float*>(inputs[0]);
  const float* gamma = static_cast<const float*>(inputs[1]);
  const float* beta = static_cast<const float*>(inputs[2]);
  const float* mean = static_cast<const float*>(inputs[3]);
  const float* var = static_cast<const float*>(inputs[4]);
  float* y = static_cast<float*>(outputs[0]);
  for (int32_t n = 0; n < p.batch; ++n) {
    for (int32_t c = 0; c < p.channels; ++c) {
      // y = x * scale + shift, the normalization folded per channel.
      const float scale = gamma[c] / std::sqrt(var[c] + p.epsilon);
      const float shift = beta[c] - mean[c] * scale;
      for (int32_t i = 0; i < p.inner; ++i) y[i] = x[i] * scale + shift;
      x += p.inner;
      y += p.inner;
    }
  }
}

}  // namespace tinyonnx
