#include "tinyonnx/kernels/concat_split.h"

#include <cstring>

namespace tinyonnx {

void ConcatParts(const void* params, const void* const* inputs, void* const* outputs) {
  const AxisPartsParams& p = *static_cast<const AxisPartsParams*>(params);
  uint8_t* out = static_cast<uint8_t*>(outputs[0]);
  for (int64_t o = 0; o < p.outer; ++o) {
    for (int32_t part = 0; part < p.part_count; ++part) {
      const size_t bytes = p.part_bytes[part];
      std::memcpy(out, static_cast<const uint8_t*>(inputs[part]) + o * bytes, bytes);
      out += bytes;
    }
  }
}

void SplitParts(const void* params, const void* const* inputs, void* const* outputs) {
  const AxisPartsParams& p = *static_cast<const AxisPartsParams*>(params);
  const uint8_t* in = static_cast<const uint8_t*>(inputs[0]);
  for (int64_t o = 0; o < p.outer; ++o) {
    for (int32_t part = 0; part < p.part_count; ++part) {
      const size_t bytes = p.part_bytes[part];
      if (outputs[part] != nullptr) {
        std::memcpy(static_cast<uint8_t*>(outputs[part]) + o * bytes, in, bytes);
      }
      in += bytes;
    }
  }
}

}  // namespace tinyonnx
