// Concat, int8: each part's blocks are copied into the output, or
// requantized when the part's scale or zero point differs from the output's.
#include <cstring>

#include "tinyonnx/kernels/reference/quantized_loops.h"

namespace tinyonnx {

void ConcatS8(const void* params, const void* const* inputs, void* const* outputs) {
  const ConcatS8Kernel& k = *static_cast<const ConcatS8Kernel*>(params);
  const ConcatS8Params& p = k.concat;
  int8_t* y = static_cast<int8_t*>(outputs[0]);
  for (int32_t o = 0; o < p.outer; ++o) {
    for (int32_t part = 0; part < p.part_count; ++part) {
      const ConcatS8Part& s = p.parts[part];
      const int8_t* x = static_cast<const int8_t*>(inputs[k.input_base + part * k.input_step]) +
                        o * s.block_size;
      if (!s.requantize) {
        std::memcpy(y, x, static_cast<size_t>(s.block_size));
      } else {
        for (int32_t i = 0; i < s.block_size; ++i) {
          y[i] = static_cast<int8_t>(
              Requantize(x[i] + s.input_offset, s.multiplier, s.shift, s.output_offset, -128, 127));
        }
      }
      y += s.block_size;
    }
  }
}

}  // namespace tinyonnx
