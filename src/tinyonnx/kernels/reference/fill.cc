#include "tinyonnx/kernels/fill.h"

#include <cstring>

namespace tinyonnx {
namespace {

void Fill(const FillParams& p, uint8_t* out) {
  for (int64_t i = 0; i < p.count; ++i, out += p.element_size) {
    std::memcpy(out, p.value, p.element_size);
  }
}

}  // namespace

void FillBytes(const void* params, const void* const* /*inputs*/, void* const* outputs) {
  Fill(*static_cast<const FillParams*>(params), static_cast<uint8_t*>(outputs[0]));
}

void DropoutInference(const void* params, const void* const* inputs, void* const* outputs) {
  const DropoutParams& p = *static_cast<const DropoutParams*>(params);
  // Output 0 shares the input's storage; only a folded node gets its own.
  if (outputs[0] != inputs[0]) std::memcpy(outputs[0], inputs[0], p.data_bytes);
  if (outputs[1] != nullptr) Fill(p.mask, static_cast<uint8_t*>(outputs[1]));
}

}  // namespace tinyonnx
