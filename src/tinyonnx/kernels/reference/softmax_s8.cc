// Softmax of int8 input along one axis: exp(s * (x - max)) is a table
// lookup by max - x. Float output for a final layer; int8 output with
// integer arithmetic only (see SoftmaxS8Params).
#include "tinyonnx/kernels/fixed_point.h"
#include "tinyonnx/kernels/quantized.h"

namespace tinyonnx {

void SoftmaxS8(const void* params, const void* const* inputs, void* const* outputs) {
  const SoftmaxS8Params& p = *static_cast<const SoftmaxS8Params*>(params);
  const int8_t* x = static_cast<const int8_t*>(inputs[0]);
  const int32_t inner = p.inner;
  for (int32_t o = 0; o < p.outer; ++o) {
    for (int32_t i = 0; i < inner; ++i) {
      const int32_t base = o * p.axis * inner + i;
      const int8_t* row = x + base;
      int32_t max = -128;
      for (int32_t a = 0; a < p.axis; ++a) max = row[a * inner] > max ? row[a * inner] : max;
      if (p.float_output) {
        float* y = static_cast<float*>(outputs[0]) + base;
        float sum = 0.0f;
        for (int32_t a = 0; a < p.axis; ++a) sum += p.exp_table[max - row[a * inner]];
        for (int32_t a = 0; a < p.axis; ++a) y[a * inner] = p.exp_table[max - row[a * inner]] / sum;
        continue;
      }
      int8_t* y = static_cast<int8_t*>(outputs[0]) + base;
      int64_t sum = 0;
      for (int32_t a = 0; a < p.axis; ++a) sum += p.exp_fixed[max - row[a * inner]];
      // sum >= exp_fixed[0] = 2^kSoftmaxExpBits > 0.
      const int64_t reciprocal = (p.inverse_output_scale << 30) / sum;
      for (int32_t a = 0; a < p.axis; ++a) {
        const int64_t scaled = p.exp_fixed[max - row[a * inner]] * reciprocal;
        const int32_t q = static_cast<int32_t>((scaled + (int64_t{1} << 45)) >> 46);
        y[a * inner] = static_cast<int8_t>(ClampInt32(p.output_offset + q, p.act_min, p.act_max));
      }
    }
  }
}

}  // namespace tinyonnx
