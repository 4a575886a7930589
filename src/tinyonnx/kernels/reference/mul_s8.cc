// Mul, int8, operands with their own quantization: the product of the
// zero-point-corrected operands, requantized by s_a * s_b / s_out.
#include "tinyonnx/kernels/reference/quantized_loops.h"

namespace tinyonnx {
namespace {

struct Mul {
  static int32_t Apply(const BinaryS8Params& p, int32_t a, int32_t b) {
    return Requantize((a + p.a_offset) * (b + p.b_offset), p.output_multiplier, p.output_shift,
                      p.output_offset, p.act_min, p.act_max);
  }
};

}  // namespace

void MulS8(const void* params, const void* const* inputs, void* const* outputs) {
  BinaryS8Kernel<Mul>(params, inputs, outputs);
}

}  // namespace tinyonnx
