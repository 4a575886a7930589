// Quantization parameters computed from scales and zero points: at prepare
// time for constants, and once per run by the dynamic kernels when they are
// graph inputs (QuantParam says which).
#include <cstring>

#include "tinyonnx/kernels/fixed_point.h"
#include "tinyonnx/kernels/quantized.h"

namespace tinyonnx {

int32_t ZeroPointAt(const QuantParam& zp, const void* data, int32_t index) {
  if (data == nullptr) return -zp.adjust;
  const int32_t i = zp.count > 1 ? index : 0;
  switch (zp.dtype) {
    case DType::kInt8: return static_cast<const int8_t*>(data)[i] - zp.adjust;
    case DType::kUint8: return static_cast<const uint8_t*>(data)[i] - zp.adjust;
    case DType::kInt32: {
      int32_t v;
      std::memcpy(&v, static_cast<const uint8_t*>(data) + 4 * i, 4);
      return v - zp.adjust;
    }
    default: return -zp.adjust;
  }
}

float ScaleAt(const void* data, int32_t count, int32_t index) {
  float v;
  std::memcpy(&v, static_cast<const uint8_t*>(data) + 4 * (count > 1 ? index : 0), 4);
  return v;
}

bool ComputeChannelMultipliers(float in_scale, const void* w_scales, int32_t w_scale_count,
                               float out_scale, int32_t channels, int32_t* multiplier,
                               int32_t* shift) {
  bool ok = true;
  for (int32_t c = 0; c < channels; ++c) {
    const double real = static_cast<double>(in_scale) *
                        static_cast<double>(ScaleAt(w_scales, w_scale_count, c)) /
                        static_cast<double>(out_scale);
    ok &= QuantizeMultiplier(real, &multiplier[c], &shift[c]);
  }
  return ok;
}

bool ComputeFilterOffsets(const QuantParam& zp, const void* data, int32_t channels,
                          int32_t* offset) {
  bool any = false;
  for (int32_t c = 0; c < channels; ++c) {
    offset[c] = -ZeroPointAt(zp, data, c);
    any |= offset[c] != 0;
  }
  return any;
}

void PackWeightsS8(const WeightPacking& w, const void* src, int8_t* dst) {
  const uint8_t* in = static_cast<const uint8_t*>(src);
  const uint8_t flip = w.flip ? 0x80 : 0;
  for (int32_t o = 0; o < w.outer; ++o) {
    for (int32_t i = 0; i < w.inner; ++i) {
      for (int32_t k = 0; k < w.taps; ++k) {
        const uint8_t byte = in[o * w.src_o + i * w.src_i + k * w.src_k] ^ flip;
        dst[o * w.dst_o + i * w.dst_i + k * w.dst_k] = static_cast<int8_t>(byte);
      }
    }
  }
}

int64_t DynamicScratchBytes(int64_t weight_bytes, int32_t channels) {
  // Weights, then multipliers, shifts and filter offsets (int32 each).
  const int64_t aligned = (weight_bytes + 15) & ~int64_t{15};
  return aligned + 3 * 4 * static_cast<int64_t>(channels);
}

}  // namespace tinyonnx
