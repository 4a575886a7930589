// Add, int8, operands with their own quantization (TFLite's scheme): both
// are rescaled to a common scale with left_shift bits of headroom, added,
// and the sum requantized to the output.
#include "tinyonnx/kernels/reference/quantized_loops.h"

namespace tinyonnx {
namespace {

struct Add {
  static int32_t Apply(const BinaryS8Params& p, int32_t a, int32_t b) {
    const int32_t a_scaled = MultiplyByQuantizedMultiplier((a + p.a_offset) * (1 << p.left_shift),
                                                           p.a_multiplier, p.a_shift);
    const int32_t b_scaled = MultiplyByQuantizedMultiplier((b + p.b_offset) * (1 << p.left_shift),
                                                           p.b_multiplier, p.b_shift);
    return Requantize(a_scaled + b_scaled, p.output_multiplier, p.output_shift, p.output_offset,
                      p.act_min, p.act_max);
  }
};

}  // namespace

void AddS8(const void* params, const void* const* inputs, void* const* outputs) {
  BinaryS8Kernel<Add>(params, inputs, outputs);
}

}  // namespace tinyonnx
