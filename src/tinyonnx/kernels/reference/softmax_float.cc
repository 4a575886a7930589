#include <cmath>

#include "tinyonnx/kernels/softmax.h"

namespace tinyonnx {
namespace {

// Normalizes every vector along the axis; subtracting the maximum first
// keeps exp() from overflowing.
template <bool kLog>
void Softmax(const SoftmaxParams& p, const float* x, float* y) {
  const int32_t stride = p.inner;
  if (p.axis == 0) return;  // empty tensor
  for (int32_t o = 0; o < p.outer; ++o) {
    const int32_t base = o * p.axis * p.inner;
    for (int32_t i = 0; i < p.inner; ++i) {
      const float* in = x + base + i;
      float* out = y + base + i;
      float max = in[0];
      for (int32_t a = 1; a < p.axis; ++a) max = in[a * stride] > max ? in[a * stride] : max;
      float sum = 0.0f;
      for (int32_t a = 0; a < p.axis; ++a) {
        const float e = std::exp(in[a * stride] - max);
        if (!kLog) out[a * stride] = e;
        sum += e;
      }
      if (kLog) {
        const float log_sum = std::log(sum);
        for (int32_t a = 0; a < p.axis; ++a) out[a * stride] = in[a * stride] - max - log_sum;
      } else {
        const float inverse = 1.0f / sum;
        for (int32_t a = 0; a < p.axis; ++a) out[a * stride] *= inverse;
      }
    }
  }
}

}  // namespace

void SoftmaxFloat(const void* params, const void* const* inputs, void* const* outputs) {
  Softmax<false>(*static_cast<const SoftmaxParams*>(params), static_cast<const float*>(inputs[0]),
                 static_cast<float*>(outputs[0]));
}

void LogSoftmaxFloat(const void* params, const void* const* inputs, void* const* outputs) {
  Softmax<true>(*static_cast<const SoftmaxParams*>(params), static_cast<const float*>(inputs[0]),
                static_cast<float*>(outputs[0]));
}

}  // namespace tinyonnx
