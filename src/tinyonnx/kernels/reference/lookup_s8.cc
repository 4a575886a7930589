// Table lookup for unary functions of int8 values (Sigmoid, Tanh,
// HardSwish, LeakyRelu, standalone Relu/Clip, ...): y = table[x + 128].
#include "tinyonnx/kernels/quantized.h"

namespace tinyonnx {

void LookupS8(const void* params, const void* const* inputs, void* const* outputs) {
  const LookupS8Params& p = *static_cast<const LookupS8Params*>(params);
  const int8_t* x = static_cast<const int8_t*>(inputs[0]);
  int8_t* y = static_cast<int8_t*>(outputs[0]);
  for (int32_t i = 0; i < p.count; ++i) y[i] = p.table[x[i] + 128];
}

}  // namespace tinyonnx
